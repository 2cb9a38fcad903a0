import { expect } from 'chai';
import { InvalidTimeperiodError } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { Gate, GatedFlow } from '../viewer/gated.flow';
import { tempDatabase } from '../support/temp-database';

const TP = '2026120600';

/**
 * app.activeRuns(): the runs in progress, whichever engine runs them, and those ended since a date,
 * read from the run history's rows (what the viewer polls to follow other engines' runs). Runs on
 * SQLite and, in `npm test`'s PostgreSQL pass, on PostgreSQL.
 */
describe('engine/app.activeRuns: runs in progress and just ended, from the database', () => {
  let t: TestingApp;
  let db: ReturnType<typeof tempDatabase>;

  beforeEach(async () => {
    db = tempDatabase();
    t = await createTestingApp({ flows: [GatedFlow], database: db.database });
  });

  afterEach(async () => {
    Gate.release();
    await t.teardown();
    db.cleanup();
  });

  it('lists a run while it runs, then only when asked for the runs ended since before it', async () => {
    expect(await t.app.activeRuns(), 'nothing ran yet').to.deep.equal([]);
    const before = new Date(Date.now() - 1000);
    Gate.close();
    const running = t.app.run('gated', { timeperiod: TP });
    let active = await t.app.activeRuns();
    while (active.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      active = await t.app.activeRuns();
    }
    expect(active.map((r) => [r.flowName, r.timeperiod, r.state, r.runMode, r.finishedAt, r.engineGone])).to.deep.equal([
      ['gated', TP, 'in_progress', 'run', null, null],
    ]);
    expect(active[0].instanceId).to.equal((await t.app.health()).instanceId);
    Gate.release();
    const result = await running;

    expect(await t.app.activeRuns()).to.deep.equal([]);
    const ended = await t.app.activeRuns({ endedSince: before });
    expect(ended.map((r) => [r.runId, r.state, r.engineGone])).to.deep.equal([[result.runId, 'processed', null]]);
    expect(ended[0].finishedAt).to.be.instanceOf(Date);
    expect(await t.app.activeRuns({ endedSince: new Date(Date.now() + 60_000) }), 'none ended after now').to.deep.equal([]);
  });

  it('activeRun(flow, timeperiod): the record activeRuns lists for that run, none for another timeperiod nor once it ended', async () => {
    const other = '2026120700';
    expect(await t.app.activeRun('gated', TP), 'never ran').to.equal(null);
    Gate.close();
    const running = [t.app.run('gated', { timeperiod: TP }), t.app.run('gated', { timeperiod: other })];
    let active = await t.app.activeRuns();
    while (active.length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      active = await t.app.activeRuns();
    }
    for (const run of active) expect(await t.app.activeRun('gated', run.timeperiod), run.timeperiod).to.deep.equal(run);
    expect(await t.app.activeRun('gated', '2026120800'), 'a timeperiod that does not run').to.equal(null);
    Gate.release();
    await Promise.all(running);
    expect(await t.app.activeRun('gated', TP), 'ended').to.equal(null);

    const error = await t.app.activeRun('gated', '20261206').catch((err: unknown) => err);
    expect(error).to.be.instanceOf(InvalidTimeperiodError);
  });

  it("stepStates({ changedSince }): only the steps whose start or end was stamped since then (a follower's poll of a big run)", async () => {
    Gate.close();
    const running = t.app.run('gated', { timeperiod: TP });
    while ((await t.app.stepStates('gated', [TP])).every((s) => s.state !== 'in_progress'))
      await new Promise((resolve) => setTimeout(resolve, 10));
    const holdStarted = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const afterHold = new Date();
    const states = async (changedSince: Date) =>
      (await t.app.stepStates('gated', [TP], { changedSince })).map((s) => `${s.stepName} ${s.state} ${s.attempt}`);

    expect(await states(new Date(holdStarted.getTime() - 60_000)), 'hold started within the minute').to.deep.equal(['hold in_progress 1']);
    expect(await states(afterHold), 'nothing moved since').to.deep.equal([]);
    Gate.release();
    await running;
    expect((await states(afterHold)).sort()).to.deep.equal(['after processed 1', 'hold processed 1']);

    const error = await t.app.stepStates('gated', [TP], { changedSince: new Date('never') }).catch((err: unknown) => err);
    expect((error as Error).message).to.include('changedSince: must be a valid Date, got Invalid Date');
  });
});
