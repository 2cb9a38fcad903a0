import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliSandbox } from './support/cli-sandbox';

/**
 * A misspelt variable (SYNERGY_FLOW_DATABSE) is ignored by every program that reads the right one:
 * without a word, a cron job then runs on the default synergy-flow.db of its working folder, and
 * the state the team reads elsewhere never changes. The CLI names it, and the variable meant.
 */
describe('cli: a misspelt SYNERGY_FLOW_ environment variable', function () {
  this.timeout(60_000);
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => sandbox.cleanup());

  it('is named on stderr with the variable meant, without its value; the command goes on', async () => {
    const meant = path.join(sandbox.dir, 'shared', 'state.db');
    const { code, stderr } = await sandbox.run(['run', 'hello_world', '-t', '2026112600'], {
      env: { SYNERGY_FLOW_DATABSE: meant, synergy_flow_log: 'postgres://etl:hunter2secret@db/etl' },
    });
    expect(code, stderr).to.equal(0);
    expect(stderr.split('\n').filter((line) => line.startsWith('warning:'))).to.deep.equal([
      'warning: the environment variable SYNERGY_FLOW_DATABSE is not one synergy-flow reads, so it is ignored: did you mean SYNERGY_FLOW_DATABASE?',
      'warning: the environment variable synergy_flow_log is not one synergy-flow reads, so it is ignored: did you mean SYNERGY_FLOW_LOGS?',
    ]);
    expect(stderr).not.to.include(meant);
    expect(stderr).not.to.include('hunter2secret');
    // What the warning is about: the run went to the default file, not the one meant.
    expect(fs.existsSync(meant)).to.equal(false);
    expect(fs.existsSync(sandbox.database)).to.equal(true);
  });

  it('a name far from any says which ones synergy-flow reads; the right names and other SYNERGY_ ones say nothing', async () => {
    const far = await sandbox.run(['list'], { env: { SYNERGY_FLOW_COLOUR_THEME: 'dark' } });
    expect(far.stderr).to.equal(
      'warning: the environment variable SYNERGY_FLOW_COLOUR_THEME is not one synergy-flow reads, so it is ignored: ' +
        'synergy-flow reads SYNERGY_FLOW_APP, SYNERGY_FLOW_DATABASE, SYNERGY_FLOW_LOGS, SYNERGY_FLOW_VIEWER_TOKEN\n',
    );
    const right = await sandbox.run(['list'], {
      env: { SYNERGY_FLOW_DATABASE: sandbox.database, SYNERGY_FLOW_LOGS: path.join(sandbox.dir, 'logs'), SYNERGY_TEST_DATABASE: '{}' },
    });
    expect(right.code, right.stderr).to.equal(0);
    expect(right.stderr).to.equal('');
  });
});
