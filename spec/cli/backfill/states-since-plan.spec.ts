import { expect } from 'chai';
import { runBackfill } from '../../../src/cli/backfill/run-backfill';
import { planBackfill } from '../../../src/cli/backfill/backfill-plan';
import { NO_BACKFILL_VIEW } from '../../../src/cli/backfill/backfill-view';
import { createCliContext } from '../../../src/cli/cli-context';
import { FlowState } from '../../../src';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import { SchedulerProbe, scheduledFlow } from '../../scheduler/fixtures/scheduled-flows';

const HOURS = ['2026120501', '2026120502', '2026120503'];
const OPTIONS = { parallel: 1, rerunFailed: false, failFast: true };

/**
 * A backfill plans every period from the states when it begins, and runs them one after the
 * other: the scheduler (or an operator) may run a period meanwhile. docs/cli.md: a processed
 * period is skipped, one in_progress is left to the engine running it, and the exit code says
 * whether every period ends processed.
 */
describe('cli backfill: periods another engine ran after the backfill planned them', () => {
  let t: TestingApp;
  let probe: SchedulerProbe;
  beforeEach(async () => {
    probe = new SchedulerProbe();
    t = await createTestingApp({ flows: [scheduledFlow('hourly_x', { every: 'hour', start: '2026120505' })], settings: { probe } });
  });
  afterEach(async () => t?.teardown());

  const backfill = (items: ReturnType<typeof planBackfill>) =>
    runBackfill(createCliContext(t.app, 'synergy-flow'), 'hourly_x', items, OPTIONS, NO_BACKFILL_VIEW);

  it('skips a period processed since the plan instead of running it again (its steps purged, a second run in its history)', async () => {
    const items = planBackfill(HOURS, new Map(), false);
    expect((await t.app.run('hourly_x', { timeperiod: '2026120502' })).state).to.equal('processed');

    const outcomes = await backfill(items);

    expect(outcomes.map((o) => [o.timeperiod, o.before, o.action, o.state])).to.deep.equal([
      ['2026120501', null, 'run', 'processed'],
      ['2026120502', 'processed', 'skip', 'processed'],
      ['2026120503', null, 'run', 'processed'],
    ]);
    expect(outcomes[1].reason).to.equal('processed since the backfill began: nothing to do');
    expect(probe.started.filter((key) => key.endsWith('2026120502'))).to.have.length(1);
    expect(await t.app.history('hourly_x', { timeperiod: '2026120502' })).to.have.length(1);
  });

  it("a period another engine processes between the backfill's last read and its run is not run again", async () => {
    const items = planBackfill(HOURS, new Map(), false);
    // The other engine's whole run fits in the window: after the backfill read the period (never
    // run), before its own run holds the period's lease.
    const app = Object.create(t.app) as typeof t.app;
    app.run = async (flow, options) => {
      if (options.timeperiod === '2026120502')
        expect((await t.app.run(flow, { timeperiod: options.timeperiod })).state).to.equal('processed');
      return t.app.run(flow, options);
    };

    const outcomes = await runBackfill(createCliContext(app, 'synergy-flow'), 'hourly_x', items, OPTIONS, NO_BACKFILL_VIEW);

    expect(outcomes.map((o) => [o.timeperiod, o.before, o.action, o.state])).to.deep.equal([
      ['2026120501', null, 'run', 'processed'],
      ['2026120502', 'processed', 'skip', 'processed'],
      ['2026120503', null, 'run', 'processed'],
    ]);
    expect(outcomes[1].reason).to.equal('processed since the backfill began: nothing to do');
    expect(
      probe.started.filter((key) => key.endsWith('2026120502')),
      'its steps ran once',
    ).to.have.length(1);
    expect(await t.app.history('hourly_x', { timeperiod: '2026120502' }), 'one run in its history').to.have.length(1);
  });

  it('a period in_progress when planned and processed by the end counts as processed', async () => {
    const items = planBackfill(['2026120501'], new Map([['2026120501', FlowState.IN_PROGRESS]]), false);
    expect((await t.app.run('hourly_x', { timeperiod: '2026120501' })).state).to.equal('processed');

    const [outcome] = await backfill(items);

    expect(outcome).to.include({ action: 'skip', state: 'processed' });
    expect(outcome.reason).to.equal(
      'in_progress when the backfill began, another engine may be running it; processed by the end of the backfill: nothing to do',
    );
  });

  it('a period another engine is running when the backfill comes to it: left to it, reported in_progress, run once', async () => {
    const items = planBackfill(HOURS, new Map(), false);
    let release!: () => void;
    probe.gates.set('hourly_x 2026120502', new Promise<void>((resolve) => (release = resolve)));
    const elsewhere = t.app.run('hourly_x', { timeperiod: '2026120502' });
    while (!probe.started.includes('hourly_x 2026120502')) await new Promise((resolve) => setTimeout(resolve, 5));

    const outcomes = await backfill(items);
    release();
    expect((await elsewhere).state).to.equal('processed');

    expect(outcomes.map((o) => [o.timeperiod, o.action, o.state])).to.deep.equal([
      ['2026120501', 'run', 'processed'],
      ['2026120502', 'skip', 'in_progress'],
      ['2026120503', 'run', 'processed'],
    ]);
    expect(outcomes[1].reason).to.equal(
      'in_progress since the backfill began, another engine may be running it: check with status, resume with recover',
    );
    expect(probe.started.filter((key) => key.endsWith('2026120502'))).to.have.length(1);
  });

  it("a period another engine starts between the backfill's last read and its run: left to it, the note names the holder", async () => {
    const items = planBackfill(['2026120501'], new Map(), false);
    let release!: () => void;
    probe.gates.set('hourly_x 2026120501', new Promise<void>((resolve) => (release = resolve)));
    let elsewhere: ReturnType<typeof t.app.run> | undefined;
    // The other engine takes the period's lease after the backfill read it (never run), before its own run does.
    const app = Object.create(t.app) as typeof t.app;
    app.run = async (flow, options) => {
      elsewhere = t.app.run(flow, { timeperiod: options.timeperiod });
      while (!probe.started.includes('hourly_x 2026120501')) await new Promise((resolve) => setTimeout(resolve, 5));
      return t.app.run(flow, options);
    };

    const [outcome] = await runBackfill(createCliContext(app, 'synergy-flow'), 'hourly_x', items, OPTIONS, NO_BACKFILL_VIEW);
    release();
    expect((await elsewhere!).state).to.equal('processed');

    expect(outcome).to.include({ action: 'skip', state: 'in_progress' });
    expect(outcome.reason).to.match(
      /^in_progress since the backfill began, another engine is running it \(held by .+\): check with status, resume with recover$/,
    );
  });
});
