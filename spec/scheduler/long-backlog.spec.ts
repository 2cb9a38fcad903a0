import { expect } from 'chai';
import { FlowState, type Scheduler, type ScheduleOptions, type TickReport } from '../../src';
import { FlowEntity } from '../../src/persistence';
import { ScheduleClaimRecord } from '../../src/persistence/schedule/schedule-claim.entity';
import { UNFINISHED_PER_FLOW_END } from '../../src/persistence/schedule/unfinished-rows';
import { FailedBacklog, hourOf2025 } from './fixtures/failed-backlog';
import { ManualClock, scheduledFlow, triggeredKeys } from './fixtures/scheduled-flows';

const HOURS = 2200;
const hour = hourOf2025;
/** Half an hour into the hour after the last failed one: every failed hour is due, no later one is. */
const NOW = new Date(Date.UTC(2025, 0, 1) + HOURS * 3_600_000 + 1_800_000);
const ALL = Array.from({ length: HOURS }, (_, i) => hour(i));
/** The failed hours between the oldest and newest UNFINISHED_PER_FLOW_END a tick reads of the flow at once. */
const BETWEEN = ALL.slice(UNFINISHED_PER_FLOW_END, -UNFINISHED_PER_FLOW_END);

/**
 * A scheduler catching up on a long backlog (a long outage: 2,200 failed hours) reads a bounded
 * number of a flow's unfinished periods at a tick: its oldest and newest 500, and a slice of 500 of
 * those between. The slices walk the backlog in timeperiod order, tick after tick, so that every
 * failed period is reported and retried in its turn; none is left unread for good.
 */
describe('Scheduler: a backlog of more unfinished periods than a tick reads', function () {
  this.timeout(60_000);
  let backlog: FailedBacklog | undefined;
  afterEach(async () => backlog?.close());

  /** The app on a SQLite file, with the flow's HOURS failed hours written beside it. */
  async function start(schedule: ScheduleOptions): Promise<Scheduler> {
    backlog = await FailedBacklog.open([scheduledFlow('backlog', schedule)], 'backlog', ALL);
    return backlog.t.app.scheduler({ clock: new ManualClock(NOW) });
  }

  const failedIn = (report: TickReport) => report.skipped.filter((s) => s.reason === 'failed').map((s) => s.timeperiod);

  it('reports every failed period, the ones between its two ends a slice a tick, in timeperiod order, then starts over', async () => {
    const scheduler = await start({ every: 'hour', start: '2025010100', onFailure: 'continue' });

    const reports: TickReport[] = [];
    for (let i = 0; i < 4; i++) reports.push(await scheduler.tick(NOW));

    const slices = reports.map((report) => failedIn(report).filter((tp) => BETWEEN.includes(tp)));
    expect(slices.map((slice) => slice.length)).to.deep.equal([500, 500, 200, 500]);
    expect(slices.slice(0, 3).flat(), 'the first three ticks read all those between, in order').to.deep.equal(BETWEEN);
    expect(slices[3], 'the fourth starts over').to.deep.equal(slices[0]);
    for (const report of reports.slice(0, 3)) {
      expect(failedIn(report), 'the two ends at every tick').to.include.members([...ALL.slice(0, 500), ...ALL.slice(-500)]);
    }
    expect(new Set(reports.slice(0, 3).flatMap(failedIn)).size, 'every failed period reported').to.equal(HOURS);
    const unread = reports[0].skipped.filter((s) => s.reason === 'unread');
    expect(unread.map((s) => [s.timeperiod, s.message])).to.deep.equal([
      [
        hour(499),
        `700 more unfinished periods after ${hour(499)} and before ${hour(1700)} are not read by this tick (a tick reads a ` +
          `flow's oldest and newest 500, and 500 between: ${hour(500)} to ${hour(999)} this time): the next ticks read them, ` +
          '500 at a time in timeperiod order, then start over',
      ],
    ]);
    expect(backlog!.probe.started, 'nothing ran').to.deep.equal([]);
  });

  it('retries the failed periods between its two ends in timeperiod order, however many wait behind maxActiveRuns', async () => {
    const scheduler = await start({
      every: 'hour',
      start: '2025010100',
      onFailure: 'recover',
      retries: 1,
      retryDelayMs: 0,
      maxActiveRuns: 3,
    });
    // Every failed hour spent its retry, but one in a hundred of those between the ends: a tick that
    // reads only the ends finds nothing to do.
    const retryable = BETWEEN.filter((_, i) => i % 100 === 50);
    const spent = ALL.filter((tp) => !retryable.includes(tp)).map((timeperiod) => ({
      flowName: 'backlog',
      timeperiod,
      attempt: 2,
      kind: 'retry' as const,
      holderId: 'a-scheduler-gone-since',
      host: 'elsewhere',
      pid: 1,
      instanceId: null,
      pidNamespace: null,
      claimedAt: NOW.getTime() - 60_000,
      finishedAt: NOW.getTime() - 30_000,
      outcome: FlowState.INVALID,
    }));
    for (let i = 0; i < spent.length; i += 200) await backlog!.rows.getRepository(ScheduleClaimRecord).insert(spent.slice(i, i + 200));

    const triggered: string[] = [];
    for (let i = 0; i < 10; i++) triggered.push(...triggeredKeys(await scheduler.tick(NOW)));

    expect(retryable).to.have.length(12);
    expect(triggered).to.deep.equal(retryable.map((tp) => `backlog ${tp}`));
    expect(backlog!.probe.started).to.deep.equal(triggered);
    const flows = await backlog!.rows.getRepository(FlowEntity).findBy({ flowName: 'backlog', state: FlowState.PROCESSED });
    expect(flows.map((f) => f.timeperiod).sort()).to.deep.equal(retryable);
  });
});
