import { expect } from 'chai';
import { BIN, CliSandbox, FACTORY_ENTRY, SAMPLE_ENTRY } from './support/cli-sandbox';

describe('cli through the synergy-flow bin', () => {
  let sandbox: CliSandbox;
  before(() => (sandbox = new CliSandbox()));
  after(() => sandbox.cleanup());

  it('--app loads the entry module and runs the command against its app', async () => {
    const run = await sandbox.run(['--app', SAMPLE_ENTRY, 'run', 'hello_world', '-t', '2026112600', '--json'], { entry: BIN });
    expect(run.code).to.equal(0);
    expect(JSON.parse(run.stdout)).to.include({ flowName: 'hello_world', state: 'processed' });
    expect(sandbox.flows().map((f) => [f.flow_name, f.timeperiod, f.state])).to.deep.equal([['hello_world', '2026112600', 'processed']]);
  });

  it('an entry whose default export is a factory of the app', async () => {
    const list = await sandbox.run(['--app', FACTORY_ENTRY, 'list', '--json'], { entry: BIN });
    expect(list.code).to.equal(0);
    expect(JSON.parse(list.stdout).map((f: { name: string }) => f.name)).to.deep.equal(['gated']);
  });

  it('SYNERGY_FLOW_APP names the entry too, and --help lists the commands under the bin name', async () => {
    const list = await sandbox.run(['list', '--json'], { entry: BIN, env: { SYNERGY_FLOW_APP: SAMPLE_ENTRY } });
    expect(list.code).to.equal(0);
    expect(JSON.parse(list.stdout)[0]).to.include({ name: 'hello_world', steps: 2 });
    const help = await sandbox.run([`--app=${SAMPLE_ENTRY}`, '--help'], { entry: BIN });
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include(`Usage: synergy-flow --app ${SAMPLE_ENTRY} [options] [command]`);
    for (const command of ['list', 'run', 'recover', 'run-one', 'run-from', 'backfill', 'status', 'graph', 'logs'])
      expect(help.stdout).to.match(new RegExp(`^  ${command} `, 'm'));
  });

  it('help: `help <command>` exits 0; no command at all prints the usage to stderr and exits 2', async () => {
    const help = await sandbox.run(['help', 'backfill']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^Usage: node \S+main\.js backfill \[options\] <flow>$/m);
    expect(help.stdout).to.match(/--rerun-failed +recover the periods whose run ended invalid/);
    const bare = await sandbox.run([]);
    expect(bare.code).to.equal(2);
    expect(bare.stdout).to.equal('');
    expect(bare.stderr).to.match(/^Usage: node \S+main\.js \[options\] \[command\]$/m);
  });
});
