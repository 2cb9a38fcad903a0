import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { expect } from 'chai';

/**
 * The AWS SDK costs start-up time and prints a Node-version warning: local users must not load it.
 * Checked in a fresh process, since this one has long loaded it for the other specs.
 */
describe('AWS SDK loading', () => {
  const dist = path.resolve(__dirname, '../../..');

  function probe(createEmr: boolean): { sdkLoaded: boolean; stderr: string } {
    const script = `
      const loaded = () => Object.keys(require.cache).some((k) => /[\\\\/]node_modules[\\\\/]@aws-sdk[\\\\/]/.test(k));
      require(${JSON.stringify(path.join(dist, 'src/index.js'))});
      const { createCluster } = require(${JSON.stringify(path.join(dist, 'src/clusters/cluster-factory.js'))});
      const scope = { index: 0, flowName: 'f', timeperiod: '2026112600', logger: { debug() {}, info() {}, warn() {}, error() {} } };
      createCluster({ type: 'local' }, scope);
      if (${createEmr}) createCluster({ type: 'emr', name: 'n', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }, scope);
      process.stdout.write(JSON.stringify(loaded()));
    `;
    const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(out.status, out.stderr).to.equal(0);
    return { sdkLoaded: JSON.parse(out.stdout) as boolean, stderr: out.stderr };
  }

  it('is not loaded by the public API and a local cluster', () => {
    const { sdkLoaded, stderr } = probe(false);
    expect(sdkLoaded).to.equal(false);
    expect(stderr).not.to.include('AWS SDK');
  });

  it('is loaded once an EMR cluster is configured', () => {
    expect(probe(true).sdkLoaded).to.equal(true);
  });
});
