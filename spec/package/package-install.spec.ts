import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppProject, type EntryKind } from './support/app-project';
import { runChecked, runCommand } from './support/command.runner';
import { snapshotAndPack, type PackageSnapshot } from './support/package-snapshot';
import { readmeExamples } from './support/readme-examples';

const PROJECT = path.resolve(__dirname, '..', '..', '..');
const PEERS: Record<string, string> = JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8')).peerDependencies;
/** What the README tells users to install beside synergy-flow; @types/node for their own code. */
const BESIDE = [...Object.entries(PEERS).map(([name, range]) => `${name}@${range}`), '@types/node@^20.19'];

/** The README's flow, run from its entry file: every step processed, the injected service did its work. */
async function runsTheReadmeFlow(app: AppProject, entry: EntryKind, timeperiod: string): Promise<void> {
  await app.compile(entry);
  const run = await app.runEntry(entry, ['run', 'daily_etl', '-t', timeperiod, '--no-progress']);
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
  expect(run.stdout).to.match(new RegExp(`^daily_etl ${timeperiod} run: processed in [\\d.]+s \\(2/2 done\\)$`, 'm'));
  expect(app.stepLog(entry, 'daily_etl', 'transform')).to.match(
    new RegExp(`transform\\.run INFO \\[${timeperiod}#[0-9a-z]{14}\\] loaded ${timeperiod}`),
  );
}

/** Only the application's copy of tsyringe and reflect-metadata: its @injectable() and the engine share one container. */
function resolvesPeersFromTheApplication(app: AppProject): void {
  for (const peer of Object.keys(PEERS)) {
    const { fromPackage, fromApp } = app.resolveFromPackage(peer);
    expect(fromPackage, peer).to.equal(fromApp);
    expect(fromApp.startsWith(path.join(app.dir, 'node_modules', peer))).to.equal(true);
  }
}

/**
 * The package as users install it, in a fresh project made from the README: from the registry
 * tarball that `npm pack` makes out of a clean clone (no dist/), from git (`prepare` builds it) and
 * from a folder. Needs the npm registry (or npm's cache); `npm run test:package`, run by .ci/run.
 */
describe('package: installed into a fresh project from a tarball, from git and from a folder', function () {
  this.timeout(30 * 60_000);
  let work: string;
  let snapshot: PackageSnapshot;
  let fromTarball: AppProject;
  const timings: string[] = [];

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-package-'));
    snapshot = await snapshotAndPack(PROJECT, work);
    timings.push(`npm pack of a clean clone ${(snapshot.packMs / 1000).toFixed(1)} s`);
    fromTarball = AppProject.create(path.join(work, 'from-tarball'), readmeExamples(path.join(PROJECT, 'README.md')));
    const install = await fromTarball.install(snapshot.tarball, ...BESIDE);
    timings.push(`install from the tarball ${(install.ms / 1000).toFixed(1)} s`);
  });

  after(() => {
    if (timings.length) console.log(`      (${timings.join('; ')})`);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('the tarball holds the compiled code, its types and the README, nothing else', async () => {
    const listed = (await runChecked('tar', ['-tzf', snapshot.tarball], { cwd: work })).stdout.trim().split('\n');
    const outside = listed.filter((file) => !/^package\/(package\.json|README\.md|dist\/(src|decorators)\/.+\.(js|d\.ts))$/.test(file));
    expect(outside).to.deep.equal([]);
    for (const file of [
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/testing/index.js',
      'dist/src/cli/bin.js',
      'dist/decorators/index.js',
      'dist/decorators/index.d.ts',
      'dist/src/logging/log-file.worker.js',
      'dist/src/viewer/client/main.js',
    ]) {
      expect(listed).to.include(`package/${file}`);
    }
    // A module is two files (.js and .d.ts): about 360 modules today. The bound catches a folder
    // shipped by mistake (specs, benches, source maps would double it), not the code's growth.
    expect(listed.length).to.be.below(1000);
  });

  it('from the tarball: the README flow with an @injectable() service, from a CommonJS entry file', async () => {
    resolvesPeersFromTheApplication(fromTarball);
    await runsTheReadmeFlow(fromTarball, 'commonjs', '2026112600');
  });

  it('from the tarball: the README flow from an ES module entry file (top-level await), and through the package bin', async () => {
    await runsTheReadmeFlow(fromTarball, 'esm', '2026112600');
    const status = await fromTarball.runBin('esm', ['status', 'daily_etl', '-t', '2026112600', '--json']);
    expect(status.code, status.stderr).to.equal(0);
    expect(JSON.parse(status.stdout)).to.include({ flowName: 'daily_etl', state: 'processed' });
  });

  it('an application whose tsyringe is older than the package needs: npm refuses the install, instead of a second copy', async () => {
    const stale = path.join(work, 'stale-tsyringe');
    fs.mkdirSync(stale);
    fs.writeFileSync(path.join(stale, 'package.json'), `${JSON.stringify({ name: 'stale-app', version: '1.0.0', private: true })}\n`);
    const install = await runCommand(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        snapshot.tarball,
        'tsyringe@4.8.0',
        `reflect-metadata@${PEERS['reflect-metadata']}`,
      ],
      { cwd: stale },
    );
    expect(install.code).to.not.equal(0);
    expect(install.stderr).to.contain('ERESOLVE');
    expect(install.stderr).to.contain(`peer tsyringe@"${PEERS.tsyringe}" from synergy-flow`);
    expect(fs.existsSync(path.join(stale, 'node_modules'))).to.equal(false);
  });

  it('from a folder (npm install --install-links ../synergy-flow): a copy, whose tsyringe and reflect-metadata are the application’s', async () => {
    const fromFolder = fromTarball.copyTo(path.join(work, 'from-folder'));
    const install = await fromFolder.install('--install-links', snapshot.repository);
    timings.push(`install from a folder ${(install.ms / 1000).toFixed(1)} s`);
    expect(fs.lstatSync(path.join(fromFolder.dir, 'node_modules', 'synergy-flow')).isSymbolicLink()).to.equal(false);
    resolvesPeersFromTheApplication(fromFolder);
    await runsTheReadmeFlow(fromFolder, 'commonjs', '2026112601');
  });

  it('from git (npm install git+file://...): prepare builds it', async () => {
    const fromGit = fromTarball.copyTo(path.join(work, 'from-git'));
    const install = await fromGit.install(`git+file://${snapshot.repository}`);
    timings.push(`install from git ${(install.ms / 1000).toFixed(1)} s`);
    expect(JSON.parse(fs.readFileSync(path.join(fromGit.dir, 'package.json'), 'utf8')).dependencies['synergy-flow']).to.match(
      /^git\+file:/,
    );
    resolvesPeersFromTheApplication(fromGit);
    await runsTheReadmeFlow(fromGit, 'commonjs', '2026112602');
  });
});
