import { expect } from 'chai';
import * as path from 'node:path';
import { CliSandbox } from './support/cli-sandbox';

const ENTRY = path.resolve(__dirname, 'fixtures/start-failure-entry.js');

/** An entry file whose bootstrap() fails, run as the README says: `node dist/main.js <command>`. */
describe('cli: an entry whose app fails to start (runCommandLine)', () => {
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => sandbox.cleanup());

  it('a dependency cycle: one line saying what is wrong, exit 2, no stack trace', async () => {
    const { code, stdout, stderr } = await sandbox.run(['list'], { entry: ENTRY, env: { SYNERGY_CYCLE: '1' } });
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines, stderr).to.have.length(1);
    expect(lines[0]).to.match(/^error: the app failed to start: FlowDefinitionError: .*circular.*load.*transform/);
    expect(stderr).to.not.match(/\bat .*\.js:\d+|node:internal|Unhandled|triggerUncaughtException/);
  });

  it('a database URL of another kind: one line naming the variable, without its password, exit 2; --verbose adds the stack', async () => {
    const env = { SYNERGY_FLOW_DATABASE: 'mysql://etl:Hunter2Secret@db.internal/etl' };
    const { code, stderr } = await sandbox.run(['status', 'gated', '-t', '2026112600'], { entry: ENTRY, env });
    expect(code).to.equal(2);
    expect(stderr.trimEnd().split('\n'), stderr).to.have.length(1);
    expect(stderr).to.match(/^error: the app failed to start: .*SYNERGY_FLOW_DATABASE/);
    expect(stderr).to.not.include('Hunter2Secret');

    const verbose = await sandbox.run(['status', 'gated', '-t', '2026112600', '--verbose'], { entry: ENTRY, env });
    expect(verbose.code).to.equal(2);
    expect(verbose.stderr).to.match(/\n\s+at /);
    expect(verbose.stderr).to.not.include('Hunter2Secret');
  });

  it('a good app runs its command as before, exit code and all', async () => {
    const { code, stdout } = await sandbox.run(['list'], { entry: ENTRY });
    expect(code).to.equal(0);
    expect(stdout).to.match(/^gated\b/m);
  });
});
