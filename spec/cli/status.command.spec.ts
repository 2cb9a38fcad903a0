import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliSandbox } from './support/cli-sandbox';

describe('cli status', () => {
  let sandbox: CliSandbox;
  before(async () => {
    sandbox = new CliSandbox();
    await sandbox.run(['run', 'etl_diamond', '-t', '2026112600']);
    await sandbox.run(['run', 'fail_then_recover', '-t', '2026112700']);
  });
  after(() => sandbox.cleanup());

  it('prints a table of step, state, attempt, started, duration, in dependency order, from the database', async () => {
    const { code, stdout } = await sandbox.run(['status', 'etl_diamond', '-t', '2026112600']);
    expect(code).to.equal(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(/^etl_diamond 2026112600: processed \(run, [\d.]+s\)$/);
    expect(lines[1]).to.match(/^STEP\s+STATE\s+ATTEMPT\s+STARTED\s+DURATION$/);
    // The last line says which database was read: a cron job in another folder would read another file.
    expect(lines.at(-1)).to.equal(`(read better-sqlite3 '${path.join(sandbox.dir, 'synergy-flow.db')}')`);
    const rows = lines.slice(2, -1).map((l) => l.split(/\s{2,}/));
    expect(rows.map((r) => r[0])).to.deep.equal(['extract', 'clean', 'sum', 'count', 'publish']);
    const db = new Map(sandbox.steps('etl_diamond', '2026112600').map((s) => [s.step_name, s]));
    for (const [step, state, attempt, started, duration] of rows) {
      const row = db.get(step)!;
      expect([state, Number(attempt)]).to.deep.equal([row.state, row.attempt]);
      const startedAt = new Date(`${row.started_at!.replace(' ', 'T')}Z`);
      expect(started).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(new Date(started.replace(' ', 'T')).getTime()).to.equal(Math.floor(startedAt.getTime() / 1000) * 1000);
      const ms = new Date(`${row.finished_at!.replace(' ', 'T')}Z`).getTime() - startedAt.getTime();
      expect(duration).to.equal(`${(ms / 1000).toFixed(2)}s`);
    }
  });

  it('--json gives the same shape as the run commands; without -t, the latest timeperiod', async () => {
    const { code, stdout } = await sandbox.run(['status', 'etl_diamond', '--json']);
    expect(code).to.equal(0);
    const json = JSON.parse(stdout);
    expect(json).to.include({ flowName: 'etl_diamond', timeperiod: '2026112600', state: 'processed', runMode: 'run' });
    expect(json.steps.map((s: { stepName: string }) => s.stepName)).to.deep.equal(['extract', 'clean', 'sum', 'count', 'publish']);
    expect(
      json.steps.every(
        (s: { state: string; attempt: number; error: null }) => s.state === 'processed' && s.attempt === 1 && s.error === null,
      ),
    ).to.equal(true);
  });

  it('an invalid run: exit 1, the failing step with its error', async () => {
    const { code, stdout } = await sandbox.run(['status', 'fail_then_recover', '-t', '2026112700']);
    expect(code).to.equal(1);
    expect(stdout.split('\n')[1]).to.match(/^STEP\s+STATE\s+ATTEMPT\s+STARTED\s+DURATION\s+ERROR$/);
    expect(stdout).to.match(/^load\s+invalid\s+1\s+\S+ \S+\s+[\d.]+s\s+Error: upstream data is not delivered yet/m);
    expect(stdout).to.match(/^report\s+embryo\s+0\s+-\s+-$/m);
  });

  it('a run that never happened: exit 2 and the command that starts it', async () => {
    const { code, stderr } = await sandbox.run(['status', 'etl_diamond', '-t', '2026010100']);
    expect(code).to.equal(2);
    expect(stderr).to.match(
      /^error: flow 'etl_diamond' has never run for timeperiod 2026010100: it has no state yet; start it with 'node .*main\.js run etl_diamond -t 2026010100' \(read better-sqlite3 '.*synergy-flow\.db'\)\n$/,
    );
    expect(stderr).not.to.match(/recover/);
    const never = await sandbox.run(['status', 'hello_world']);
    expect(never.code).to.equal(2);
    expect(never.stderr).to.match(
      /^error: flow 'hello_world' has never run \(read better-sqlite3 '.*synergy-flow\.db'\): start it with 'node .*main\.js run hello_world -t <timeperiod>'\n$/,
    );
  });

  it('SYNERGY_FLOW_DATABASE and SYNERGY_FLOW_LOGS choose the state and the logs when the entry does not, as a cron job needs', async () => {
    const elsewhere = path.join(sandbox.tmp, 'state');
    fs.mkdirSync(elsewhere);
    const env = { SYNERGY_FLOW_DATABASE: path.join(elsewhere, 'etl.db'), SYNERGY_FLOW_LOGS: path.join(elsewhere, 'etl-logs') };
    expect((await sandbox.run(['run', 'hello_world', '-t', '2026120500'], { env })).code).to.equal(0);
    expect(fs.existsSync(path.join(elsewhere, 'etl.db'))).to.equal(true);
    expect(fs.readdirSync(path.join(elsewhere, 'etl-logs', 'hello_world')).sort()).to.deep.equal([
      'hello.log',
      'hello_world.log',
      'world.log',
    ]);
    const status = await sandbox.run(['status', 'hello_world', '--json'], { env });
    expect(JSON.parse(status.stdout)).to.deep.include({ database: `better-sqlite3 '${path.join(elsewhere, 'etl.db')}'` });
    // Without the variable, the sandbox's own database, where that run never happened.
    const here = await sandbox.run(['status', 'hello_world', '-t', '2026120500']);
    expect(here.code).to.equal(2);
    expect(here.stderr).to.contain(`(read better-sqlite3 '${path.join(sandbox.dir, 'synergy-flow.db')}')`);
  });
});
