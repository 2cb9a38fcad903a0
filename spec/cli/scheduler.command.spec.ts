import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliSandbox, FAILING_SCHEDULE_ENTRY, SCHEDULED_ENTRY } from './support/cli-sandbox';

/** Waits for `condition`, polling; generous bound for loaded CI machines. */
async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  for (const deadline = Date.now() + ms; !condition();) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The yearly fixture's periods as `plan` shows them, by the real clock (2026 is due once it has ended). */
function expectedStatus(timeperiod: string): string {
  return Date.now() >= Date.UTC(Number(timeperiod.slice(0, 4)) + 1, 0, 1) ? 'due' : 'scheduled';
}

describe('cli: scheduler, pause, resume, plan', function () {
  this.timeout(120_000);
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => sandbox.cleanup());
  const cli = (...args: string[]) => sandbox.run(args, { entry: SCHEDULED_ENTRY });

  it('plan lists the next periods with their status and due time; --json says the same; no database is created', async () => {
    const { code, stdout } = await cli('plan', 'yearly_report', '-n', '3');
    expect(code).to.equal(0);
    expect(stdout).to.equal(
      [
        'yearly_report: every year from 2024000000 (UTC), delay 0 ms, 1 at a time, on failure recover (2 retries, 300000 ms apart)',
        'TIMEPERIOD  STATUS     DUE (UTC)',
        `2024000000  ${expectedStatus('2024000000').padEnd(9)}  2025-01-01T00:00:00Z`,
        `2025000000  ${expectedStatus('2025000000').padEnd(9)}  2026-01-01T00:00:00Z`,
        `2026000000  ${expectedStatus('2026000000').padEnd(9)}  2027-01-01T00:00:00Z`,
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await cli('plan', 'yearly_report', '-n', '1', '--json')).stdout);
    expect(json).to.deep.include({ flow: 'yearly_report', paused: false });
    expect(json.periods).to.deep.equal([{ timeperiod: '2024000000', status: 'due', dueAt: '2025-01-01T00:00:00.000Z' }]);
    expect(json.schedule).to.include({ every: 'year', start: '2024000000', maxActiveRuns: 1 });
    // Read-only, like status and list: a plan of a database that does not exist creates none.
    expect(fs.existsSync(sandbox.database), 'plan created the database').to.equal(false);
  });

  it('pause and resume a flow, kept in the database between commands', async () => {
    expect((await cli('pause', 'yearly_report')).stdout).to.match(
      /^paused yearly_report: no scheduler starts its runs until '.*resume yearly_report'\n$/,
    );
    const pausedPlan = (await cli('plan', 'yearly_report', '-n', '1')).stdout.split('\n');
    expect(pausedPlan[0]).to.match(/; PAUSED$/);
    // The periods say the same as the header: none is started while paused.
    expect(pausedPlan.slice(1)).to.deep.equal([
      'TIMEPERIOD  STATUS  DUE (UTC)             WHY',
      '2024000000  paused  2025-01-01T00:00:00Z  due; held: the schedule is paused (resume it to go on)',
      '',
    ]);
    expect(JSON.parse((await cli('plan', 'yearly_report', '-n', '1', '--json')).stdout).periods).to.deep.equal([
      {
        timeperiod: '2024000000',
        status: 'paused',
        dueAt: '2025-01-01T00:00:00.000Z',
        reason: 'due; held: the schedule is paused (resume it to go on)',
      },
    ]);
    expect(JSON.parse((await cli('resume', 'yearly_report', '--json')).stdout)).to.deep.equal({ flow: 'yearly_report', paused: false });
    expect(JSON.parse((await cli('plan', 'yearly_report', '--json')).stdout).paused).to.equal(false);
  });

  it('pause of a flow without a schedule is a usage error naming the scheduled flows', async () => {
    const { code, stderr } = await cli('pause', 'gated');
    expect(code).to.equal(2);
    expect(stderr).to.include(
      "cannot pause flow 'gated': it has no schedule, so the scheduler never runs it; the scheduled flows are yearly_report",
    );
  });

  it("scheduler --tick-ms under the engine's 10 ms floor is a usage error before any schedule line, as --help says", async () => {
    const help = await cli('scheduler', '--help');
    expect(help.stdout).to.match(/--tick-ms <ms>\s+how often to look for due periods, in ms \(10 or more\)/);
    const { code, stdout, stderr } = await cli('scheduler', '--tick-ms', '5');
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr).to.include("argument '5' is invalid. expected a whole number of milliseconds from 10 to 2147483647");
  });

  it("scheduler runs the due periods oldest first, then stops cleanly on SIGTERM; its start line's instance id is the one history and its runs' log lines name", async () => {
    fs.writeFileSync(path.join(sandbox.gates, 'report'), '');
    const running = sandbox.start(['scheduler', '--tick-ms', '50'], { entry: SCHEDULED_ENTRY });
    await running.waitFor(/started yearly_report 2025000000 \(run, attempt 1: due\)\n/);
    // Both runs over, not only their flow rows processed: a run ends after that row (its logs, its
    // lease), and a SIGTERM before then is a signal during a run (exit 143). The scheduler records
    // a claim finished once its run's promise has settled.
    await until(
      () => sandbox.query<{ n: number }>('SELECT count(*) AS n FROM schedule_claim WHERE finished_at IS NOT NULL')[0].n === 2,
      'both due periods run and their claims finished',
    );
    running.child.kill('SIGTERM');
    const { code, stdout } = await running.done;
    expect(code).to.equal(0);
    expect(stdout).to.match(/^yearly_report: every year from 2024000000 \(UTC\)/);
    expect(stdout.indexOf('started yearly_report 2024000000')).to.be.lessThan(stdout.indexOf('started yearly_report 2025000000'));
    expect(stdout).to.include('synergy-flow scheduler stopped (SIGTERM)');
    expect(sandbox.flows().map((f) => [f.timeperiod, f.state, f.run_mode])).to.deep.equal([
      ['2024000000', 'processed', 'run'],
      ['2025000000', 'processed', 'run'],
    ]);

    // Its start line names it as FlowLockedError names a lease's holder; the runs it started say the same id.
    const banner = new RegExp(
      `^synergy-flow scheduler: ticking every 50 ms \\(UTC periods, better-sqlite3 '.*'\\) ` +
        `as ${os.hostname().replace(/[.]/g, '\\.')} pid ${running.child.pid} \\(instance ([0-9a-f-]{36})\\); Ctrl-C stops$`,
      'm',
    );
    expect(stdout).to.match(banner);
    const instanceId = banner.exec(stdout)![1];
    const history = await cli('history', 'yearly_report');
    expect(history.stdout.split('\n')[0]).to.match(/\bHOST\/PID\s+INSTANCE$/);
    const rows = history.stdout.trimEnd().split('\n').slice(1, -1);
    expect(rows.map((row) => row.split(/\s{2,}/).at(-1))).to.deep.equal([instanceId.slice(0, 8), instanceId.slice(0, 8)]);
    const json = JSON.parse((await cli('history', 'yearly_report', '--json')).stdout);
    expect(json.runs.map((run: { instanceId: string }) => run.instanceId)).to.deep.equal([instanceId, instanceId]);
    const log = fs.readFileSync(path.join(sandbox.dir, 'logs', 'yearly_report', 'yearly_report.log'), 'utf8');
    expect(log).to.include(`run of timeperiod 2024000000 started by ${os.hostname()} pid ${running.child.pid} (instance ${instanceId}): `);
  });

  it('SIGTERM while a scheduled run is in flight: the run records its states (step canceled, run invalid), exit 143', async () => {
    const running = sandbox.start(['scheduler', '--tick-ms', '50'], { entry: SCHEDULED_ENTRY });
    await running.waitFor(/started yearly_report 2024000000/);
    await until(() => sandbox.steps('yearly_report', '2024000000').some((s) => s.state === 'in_progress'), 'the step running');
    running.child.kill('SIGTERM');
    const { code } = await running.done;
    expect(code).to.equal(143);
    expect(sandbox.flows().map((f) => [f.timeperiod, f.state])).to.deep.equal([['2024000000', 'invalid']]);
    expect(sandbox.steps('yearly_report', '2024000000').map((s) => s.state)).to.deep.equal(['canceled']);
    // Cut short by the stop, not failed: the claim says so, and the next scheduler resumes the period.
    expect(sandbox.query('SELECT outcome FROM schedule_claim')).to.deep.equal([{ outcome: 'interrupted' }]);
    const plan = JSON.parse((await cli('plan', 'yearly_report', '-n', '1', '--json')).stdout);
    expect(plan.periods[0]).to.include({ timeperiod: '2024000000', status: 'due' });
  });

  it('says how each run it started ended, the failed step and its error redacted, and a period left failed once, with the command to recover it', async () => {
    const secret = 'fakeSchedulerSecretKey0123456789abcdef';
    const running = sandbox.start(['scheduler', '--tick-ms', '50'], {
      entry: FAILING_SCHEDULE_ENTRY,
      env: { AWS_SECRET_ACCESS_KEY: secret },
    });
    await running.waitFor(/^left failing_report 2025000000 /m);
    // A few more ticks read the same failed period again: it is said once, not at every tick.
    await new Promise((resolve) => setTimeout(resolve, 300));
    running.child.kill('SIGTERM');
    const { code, stdout } = await running.done;
    expect(code).to.equal(0);
    expect(stdout).not.to.include(secret);
    const lines = stdout.split('\n').filter((line) => /^(started|ended|left) /.test(line));
    expect(lines.map((line) => line.replace(/ in \d+\.\d+s:/, ' in <t>:'))).to.deep.equal([
      'started failing_report 2025000000 (run, attempt 1: due)',
      'ended failing_report 2025000000 (run, attempt 1): invalid in <t>: step load invalid: Error: cannot load 2025000000 with key ***',
      'started failing_report 2025000000 (recover, attempt 2: retry 1 of 1)',
      'ended failing_report 2025000000 (recover, attempt 2): invalid in <t>: step load invalid: Error: cannot load 2025000000 with key ***',
      // The command as this user runs it: their entry, not a `synergy-flow` bin they may not have.
      `left failing_report 2025000000 failed after 1 retry: recover it by hand (node ${FAILING_SCHEDULE_ENTRY} recover failing_report -t 2025000000)`,
    ]);
  });

  it('says when a run it started ended processed, and how long it took', async () => {
    fs.writeFileSync(path.join(sandbox.gates, 'report'), '');
    const running = sandbox.start(['scheduler', '--tick-ms', '50'], { entry: SCHEDULED_ENTRY });
    await running.waitFor(/^ended yearly_report 2025000000 /m);
    running.child.kill('SIGTERM');
    const { code, stdout } = await running.done;
    expect(code).to.equal(0);
    expect(stdout).to.match(/^ended yearly_report 2024000000 \(run, attempt 1\): processed in \d+\.\d+s$/m);
    expect(stdout).to.match(/^ended yearly_report 2025000000 \(run, attempt 1\): processed in \d+\.\d+s$/m);
    expect(stdout.indexOf('ended yearly_report 2025000000')).to.be.lessThan(stdout.indexOf('synergy-flow scheduler stopped (SIGTERM)'));
  });

  it('a due period another engine holds (its lease, no row yet) is said skipped once, claimed at no tick, and started once that lease expired', async () => {
    // The database and its tables, as any command that writes makes them.
    expect((await cli('resume', 'yearly_report')).code).to.equal(0);
    const instance = '0a1b2c3d-0000-4000-8000-000000000042';
    sandbox.execute(
      `INSERT INTO flow_lease (flow_name, timeperiod, holder_id, host, pid, instance_id, pid_namespace, version, acquired_at, heartbeat_at, expires_at)
       VALUES ('yearly_report', '2024000000', 'f0e1d2c3-0000-4000-8000-000000000001', 'etl-other', 4242, ?, NULL, 1, ?, ?, ?)`,
      instance,
      Date.UTC(2026, 0, 1),
      Date.now(),
      Date.now() + 3_600_000,
    );
    fs.writeFileSync(path.join(sandbox.gates, 'report'), '');
    const running = sandbox.start(['scheduler', '--tick-ms', '50'], { entry: SCHEDULED_ENTRY });
    await running.waitFor(/^skipped yearly_report 2024000000: /m);
    // Ten more ticks read the same held period: nothing is claimed, nothing more is said.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sandbox.query('SELECT * FROM schedule_claim')).to.deep.equal([]);
    sandbox.execute("UPDATE flow_lease SET expires_at = 0 WHERE timeperiod = '2024000000'");
    await running.waitFor(/^started yearly_report 2025000000 /m);
    await until(
      () => sandbox.query<{ n: number }>('SELECT count(*) AS n FROM schedule_claim WHERE finished_at IS NOT NULL')[0].n === 2,
      'both due periods run and their claims finished',
    );
    running.child.kill('SIGTERM');
    const { code, stdout, stderr } = await running.done;
    expect(code).to.equal(0);
    expect(stdout.split('\n').filter((line) => /^(started|skipped|left) /.test(line))).to.deep.equal([
      `skipped yearly_report 2024000000: held by another engine, etl-other pid 4242 (instance ${instance}) since 2026-01-01T00:00:00.000Z: ` +
        'not started here until its lease is released or expires',
      'started yearly_report 2024000000 (run, attempt 1: due)',
      'started yearly_report 2025000000 (run, attempt 1: due)',
    ]);
    expect(stdout).to.match(/^ended yearly_report 2024000000 \(run, attempt 1\): processed in /m);
    expect(stderr).to.equal('');
  });

  it('a paused flow is said PAUSED on its schedule line, with the command that resumes it; its due periods do not start', async () => {
    expect((await cli('pause', 'yearly_report')).code).to.equal(0);
    const running = sandbox.start(['scheduler', '--tick-ms', '50'], { entry: SCHEDULED_ENTRY });
    await running.waitFor(/^synergy-flow scheduler: ticking /m);
    await new Promise((resolve) => setTimeout(resolve, 300));
    running.child.kill('SIGTERM');
    const { code, stdout } = await running.done;
    expect(code).to.equal(0);
    expect(stdout.split('\n')[0]).to.match(
      /^yearly_report: every year from 2024000000 \(UTC\), .*; PAUSED: no run starts until 'node \S+scheduled-entry\.js resume yearly_report'$/,
    );
    expect(stdout).not.to.include('started yearly_report');
  });
});
