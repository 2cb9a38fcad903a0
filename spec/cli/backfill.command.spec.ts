import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliSandbox, GATED_ENTRY } from './support/cli-sandbox';

const utc = (sqlite: string | null) => new Date(`${sqlite!.replace(' ', 'T')}Z`).getTime();

describe('cli backfill', () => {
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => sandbox.cleanup());

  const markReady = (...timeperiods: string[]) => {
    for (const tp of timeperiods) fs.writeFileSync(path.join(sandbox.tmp, `synergy-flow-upstream-${tp}.ready`), '');
  };

  it('across a month boundary: exactly the days between the bounds, one after the other, in order', async () => {
    const { code, stdout } = await sandbox.run(['backfill', 'hello_world', '--from', '2026112900', '--to', '2026120200']);
    expect(code).to.equal(0);
    const days = ['2026112900', '2026113000', '2026120100', '2026120200'];
    const rows = sandbox.flows();
    expect(rows.map((r) => [r.timeperiod, r.state, r.run_mode])).to.deep.equal(days.map((d) => [d, 'processed', 'run']));
    // --parallel 1: each period starts after the previous one has finished.
    for (let i = 1; i < rows.length; i++) expect(utc(rows[i].started_at)).to.be.at.least(utc(rows[i - 1].finished_at));
    const started = stdout.split('\n').filter((l) => / run started: /.test(l));
    expect(started.map((l) => l.split(' ')[2])).to.deep.equal(days);
    expect(stdout).to.match(
      /backfill hello_world 2026112900\.\.2026120200 \(daily, 4 periods\): 4 processed, 0 not \(4 run, 0 recovered, 0 skipped\)/,
    );
  });

  it('a period run-one left embryo is completed with recover, keeping its processed step, not skipped as "another engine"', async () => {
    expect((await sandbox.run(['run-one', 'hello_world', 'hello', '-t', '2026120100'])).code).to.equal(0);
    expect(sandbox.flows().map((r) => [r.timeperiod, r.state])).to.deep.equal([['2026120100', 'embryo']]);
    const { code, stdout } = await sandbox.run(['backfill', 'hello_world', '--from', '2026120100', '--to', '2026120100']);
    expect(code).to.equal(0);
    expect(stdout).not.to.match(/another engine/);
    expect(stdout).to.match(/\(daily, 1 period\): 1 processed, 0 not \(0 run, 1 recovered, 0 skipped\)/);
    expect(sandbox.flows().map((r) => [r.timeperiod, r.state, r.run_mode])).to.deep.equal([['2026120100', 'processed', 'recover']]);
    // recover kept the step run-one processed: it ran once in all.
    expect(sandbox.steps('hello_world', '2026120100').map((s) => [s.step_name, s.state, s.attempt])).to.deep.equal([
      ['hello', 'processed', 1],
      ['world', 'processed', 1],
    ]);
  });

  it('--parallel 2 runs two periods at once, never three, and starts them in order', async () => {
    const running = sandbox.start(['backfill', 'gated', '--from', '2026112900', '--to', '2026120100', '--parallel', '2'], {
      entry: GATED_ENTRY,
    });
    await running.waitFor(/gated 2026113000 run started/);
    await running.waitFor(/gated 2026112900 run started/);
    const inFlight = sandbox.flows().map((r) => [r.timeperiod, r.state]);
    expect(inFlight).to.deep.equal([
      ['2026112900', 'in_progress'],
      ['2026113000', 'in_progress'],
    ]);
    expect(running.output()).not.to.include('2026120100');
    for (const step of ['extract', 'transform', 'audit', 'load']) sandbox.open(step);
    const { code, stdout } = await running.done;
    expect(code).to.equal(0);
    expect(sandbox.flows().map((r) => [r.timeperiod, r.state])).to.deep.equal([
      ['2026112900', 'processed'],
      ['2026113000', 'processed'],
      ['2026120100', 'processed'],
    ]);
    expect(stdout.indexOf('2026120100 run started')).to.be.greaterThan(stdout.indexOf('2026113000 run started'));
  });

  it('skips the processed periods and the invalid ones; --rerun-failed recovers only the invalid ones', async () => {
    markReady('2026120100');
    const first = await sandbox.run(['backfill', 'fail_then_recover', '--from', '2026113000', '--to', '2026120200']);
    expect(first.code).to.equal(1);
    expect(sandbox.flows().map((r) => [r.timeperiod, r.state])).to.deep.equal([
      ['2026113000', 'invalid'],
      ['2026120100', 'processed'],
      ['2026120200', 'invalid'],
    ]);
    // Off a terminal a backfill prints the steps that fail, not every transition.
    expect(first.stdout).to.match(
      /fail_then_recover 2026113000 load invalid after [\d.]+s \[1\/3, 1 failed\]: Error: upstream data is not delivered yet/,
    );
    expect(first.stdout).not.to.match(/ fetch (in_progress|processed)/);
    expect(first.stdout).to.include('--from 2026113000 --to 2026120200 --rerun-failed');

    const unchanged = sandbox.snapshot();
    const again = await sandbox.run(['backfill', 'fail_then_recover', '--from', '2026113000', '--to', '2026120200']);
    expect(again.code).to.equal(1);
    expect(again.stdout).to.include('2026113000 skipped: invalid when the backfill began: --rerun-failed recovers it');
    expect(again.stdout).to.include('2026120100 skipped: processed when the backfill began: nothing to do');
    // The summary table's NOTE column words a skip the same way.
    expect(again.stdout).to.match(/^2026120100\s+processed\s+skip\s+processed\s+-\s+processed when the backfill began: nothing to do$/m);
    expect(sandbox.snapshot()).to.equal(unchanged);

    const before = new Map(sandbox.flows().map((r) => [r.timeperiod, r]));
    const fetchBefore = sandbox.steps('fail_then_recover', '2026113000')[0];
    markReady('2026113000', '2026120200');
    const rerun = await sandbox.run([
      'backfill',
      'fail_then_recover',
      '--from',
      '2026113000',
      '--to',
      '2026120200',
      '--rerun-failed',
      '--json',
    ]);
    expect(rerun.code).to.equal(0);
    const json = JSON.parse(rerun.stdout);
    expect(json).to.include({ flowName: 'fail_then_recover', from: '2026113000', to: '2026120200', granularity: 'daily', parallel: 1 });
    expect(json.counts).to.deep.equal({ run: 0, recovered: 2, skipped: 1, processed: 3, notProcessed: 0 });
    expect(
      json.periods.map((p: { timeperiod: string; before: string; action: string; state: string }) => [
        p.timeperiod,
        p.before,
        p.action,
        p.state,
      ]),
    ).to.deep.equal([
      ['2026113000', 'invalid', 'recover', 'processed'],
      ['2026120100', 'processed', 'skip', 'processed'],
      ['2026120200', 'invalid', 'recover', 'processed'],
    ]);
    expect(json.periods[1].reason).to.equal('processed when the backfill began: nothing to do');
    const after = new Map(sandbox.flows().map((r) => [r.timeperiod, r]));
    expect(after.get('2026120100')).to.deep.equal(before.get('2026120100'));
    expect(after.get('2026113000')).to.include({ state: 'processed', run_mode: 'recover' });
    expect(after.get('2026120200')).to.include({ state: 'processed', run_mode: 'recover' });
    // recover kept the step that had been processed.
    expect(sandbox.steps('fail_then_recover', '2026113000')[0]).to.deep.equal(fetchBefore);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    await sandbox.run(['run', 'hello_world', '-t', '2026113000']);
    const before = sandbox.snapshot();
    const { code, stdout } = await sandbox.run(['backfill', 'hello_world', '--from', '2026113000', '--to', '2026120100', '--dry-run']);
    expect(code).to.equal(0);
    expect(stdout).to.match(/^2026113000\s+processed\s+skip: processed when the backfill began: nothing to do$/m);
    expect(stdout).to.match(/^2026120100\s+-\s+run$/m);
    expect(sandbox.snapshot()).to.equal(before);
  });

  it('--from after --to, or bounds of two granularities: exit 2 with the range to type, nothing written', async () => {
    const reversed = await sandbox.run(['backfill', 'hello_world', '--from', '2026120200', '--to', '2026112900']);
    expect(reversed.code).to.equal(2);
    expect(reversed.stderr).to.equal(
      'error: --from 2026120200 is after --to 2026112900: the range goes forward, e.g. --from 2026112900 --to 2026120200\n',
    );
    const mixed = await sandbox.run(['backfill', 'hello_world', '--from', '2026112900', '--to', '2026120000']);
    expect(mixed.code).to.equal(2);
    expect(mixed.stderr).to.equal(
      'error: --from 2026112900 is daily but --to 2026120000 is monthly: give both bounds at the same granularity, e.g. --to 2026120100\n',
    );
    // Refused before the database was opened: not even created.
    expect(fs.existsSync(path.join(sandbox.dir, 'synergy-flow.db')), 'a refused backfill created the database').to.equal(false);
  });
});
