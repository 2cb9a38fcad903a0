import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { expect } from 'chai';

/** The project's folder: there `require('synergy-flow')` is the package's own entry (package.json "exports"), as built. */
const PROJECT = path.resolve(__dirname, '../../../..');

/**
 * `EmrCluster` from the package's entry, in a fresh process (this one has long loaded the AWS SDK):
 * what a user's `import { EmrCluster } from 'synergy-flow'` gets.
 */
describe("EmrCluster from the package's entry", () => {
  it('is exported, loads no AWS SDK until one is constructed, and tells an EMR cluster from a local one', () => {
    const script = `
      const loaded = () => Object.keys(require.cache).some((k) => /[\\\\/]node_modules[\\\\/]@aws-sdk[\\\\/]/.test(k));
      const { EmrCluster, LocalCluster } = require('synergy-flow');
      const seen = { entry: require.resolve('synergy-flow'), isClass: typeof EmrCluster === 'function', afterImport: loaded() };
      seen.localIsEmr = new LocalCluster('local-1') instanceof EmrCluster;
      seen.afterInstanceof = loaded();
      const cluster = new EmrCluster(
        { type: 'emr', name: 'etl', region: 'us-east-1', credentials: { accessKeyId: 'AKIAEXPORT', secretAccessKey: 'export-secret' } },
        { index: 0, flowName: 'daily_etl', timeperiod: '2026112600' },
      );
      Object.assign(seen, { emrIsEmr: cluster instanceof EmrCluster, afterConstruct: loaded(), name: cluster.name, clusterId: cluster.clusterId ?? null });
      class Tagged extends EmrCluster {}
      seen.subclassIsEmr = new Tagged({ type: 'emr', name: 'etl', region: 'us-east-1' }, { index: 1, flowName: 'f', timeperiod: '2026112600' }) instanceof EmrCluster;
      process.stdout.write(JSON.stringify(seen));
    `;
    const out = spawnSync(process.execPath, ['-e', script], { cwd: PROJECT, encoding: 'utf8' });
    expect(out.status, out.stderr).to.equal(0);
    expect(JSON.parse(out.stdout)).to.deep.equal({
      entry: path.join(PROJECT, 'dist', 'src', 'index.js'),
      isClass: true,
      afterImport: false,
      localIsEmr: false,
      afterInstanceof: false,
      emrIsEmr: true,
      afterConstruct: true,
      name: 'etl-1',
      clusterId: null,
      subclassIsEmr: true,
    });
  });

  it('is a named export for an ES module too', () => {
    const script = `import { EmrCluster, LocalCluster } from 'synergy-flow';
      process.stdout.write(JSON.stringify([typeof EmrCluster, new LocalCluster('local-1') instanceof EmrCluster]));`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: PROJECT, encoding: 'utf8' });
    expect(out.status, out.stderr).to.equal(0);
    expect(JSON.parse(out.stdout)).to.deep.equal(['function', false]);
  });
});
