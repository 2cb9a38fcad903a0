import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { LeaseLostError } from '../../../src';
import {
  createDataSource,
  DatabaseFlowLease,
  DatabaseFlowLock,
  FlowLeaseRecord,
  FlowEntity,
  FlowState,
  StateStore,
  StepEntity,
  StepState,
} from '../../../src/persistence';
import { LeaseFenceStatements } from '../../../src/persistence/lease/lease-fence';
import { StepAttemptEntity } from '../../../src/persistence/step-attempt.entity';
import { runningAttempt } from '../fixtures/attempt-row';
import { SPEC_DATABASES, type SpecDatabase } from '../fixtures/spec-databases';

const [TP1, TP2] = ['2026112600', '2026112700'];
/** The instance id of the engine that takes a run over: another process than this one. */
const ENGINE_B = 'b0b0b0b0-0000-4000-8000-00000000000b';

/**
 * The fence on its own, two runs of one engine sharing one group commit: a run whose lease was
 * taken over has its writes refused and rolled back, and the other run's writes of the very same
 * commit are committed all the same.
 */
for (const kind of SPEC_DATABASES) {
  describe(`persistence/lease fence on ${kind.name}`, () => {
    let db: SpecDatabase;
    let dataSource: DataSource;
    let store: StateStore;
    const leases: DatabaseFlowLease[] = [];

    const prepare = (s: StateStore, timeperiod: string) =>
      s.prepareRun({
        flowName: 'etl',
        timeperiod,
        startTimeperiod: null,
        endTimeperiod: null,
        runMode: 'run',
        stepNames: ['a'],
        reset: new Set(['a']),
        purge: true,
      });
    const acquire = async (timeperiod: string) => {
      const lease = (await new DatabaseFlowLock(store, { ttlMs: 60_000, heartbeatMs: 20_000 }).acquire(
        'etl',
        timeperiod,
      )) as DatabaseFlowLease;
      leases.push(lease);
      return lease;
    };
    /** Another engine takes the run over (its lease row now names another holder). */
    const takeOver = (timeperiod: string) =>
      store.transaction((m) =>
        m
          .getRepository(FlowLeaseRecord)
          .update(
            { flowName: 'etl', timeperiod },
            { holderId: 'a1b2c3d4-0000-4000-8000-000000000009', host: 'engine-b.elsewhere', pid: 4242, instanceId: ENGINE_B },
          ),
      );
    const stepRow = (timeperiod: string) =>
      store.transaction((m) => m.getRepository(StepEntity).findOneByOrFail({ flowName: 'etl', timeperiod, stepName: 'a' }));

    beforeEach(async () => {
      db = await kind.create();
      dataSource = await createDataSource(db.options);
      store = new StateStore(dataSource);
    });
    afterEach(async () => {
      await Promise.all(leases.splice(0).map((l) => l.release()));
      await dataSource.destroy();
      await db.cleanup();
    });

    it("refuses the writes of a run that lost its lease and commits the other run's writes of the same group commit", async () => {
      const [lost, kept] = [await acquire(TP1), await acquire(TP2)];
      const [runLost, runKept] = [store.fencedBy(lost.fence), store.fencedBy(kept.fence)];
      const [{ steps: lostSteps }, { steps: keptSteps }] = [await prepare(runLost, TP1), await prepare(runKept, TP2)];
      await takeOver(TP1);

      // Queued in one turn of the event loop: one group commit.
      const outcomes = await Promise.allSettled([
        runKept.updateStep(keptSteps.get('a')!, { state: StepState.IN_PROGRESS, attempt: 1 }),
        runLost.updateStep(lostSteps.get('a')!, { state: StepState.IN_PROGRESS, attempt: 1 }),
        runKept.updateStep(keptSteps.get('a')!, { state: StepState.PROCESSED }),
      ]);
      expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
      const refusal = (outcomes[1] as PromiseRejectedResult).reason as Error;
      expect(refusal).to.be.instanceOf(LeaseLostError);
      expect(refusal.message).to.include(
        `flow 'etl' for timeperiod 2026112600: this engine lost its lease on the run (another engine took it over: engine-b.elsewhere pid 4242 (instance ${ENGINE_B}) since `,
      );
      expect(lost.lost.aborted, 'the run is told at once').to.equal(true);
      expect(lost.lost.reason).to.equal(refusal);
      expect(kept.lost.aborted).to.equal(false);

      expect(await stepRow(TP1)).to.include({ state: StepState.EMBRYO, attempt: 0 });
      expect(await stepRow(TP2)).to.include({ state: StepState.PROCESSED, attempt: 1 });
    });

    it("refuses a lost run's attempt rows, even one that no update of its run proved the lease before: the other run's are committed", async () => {
      const [lost, kept] = [await acquire(TP1), await acquire(TP2)];
      const [runLost, runKept] = [store.fencedBy(lost.fence), store.fencedBy(kept.fence)];
      const [{ steps: lostSteps }, { steps: keptSteps }] = [await prepare(runLost, TP1), await prepare(runKept, TP2)];
      await takeOver(TP1);
      const attempt = (runId: string, timeperiod: string, id: number) => runningAttempt({ id, runId, timeperiod, stepName: 'a' });

      const ended = { state: StepState.PROCESSED, finishedAt: new Date(), error: null };
      // One group commit; the lost run's step patch is empty, so its attempt insert must prove the lease itself.
      const outcomes = await Promise.allSettled([
        runLost.updateStep(lostSteps.get('a')!, {}, { end: attempt('lostrun0000000', TP1, 1), patch: ended }),
        runKept.updateStep(
          keptSteps.get('a')!,
          { state: StepState.PROCESSED, attempt: 1 },
          { end: attempt('keptrun0000000', TP2, 2), patch: ended },
        ),
      ]);
      expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'fulfilled']);
      expect((outcomes[0] as PromiseRejectedResult).reason).to.be.instanceOf(LeaseLostError);
      const rows = await store.transaction((m) => m.getRepository(StepAttemptEntity).find());
      expect(rows.map((r) => r.runId)).to.deep.equal(['keptrun0000000']);
    });

    it("refuses a run's set-up once its lease is lost, before anything is written", async () => {
      const lease = await acquire(TP1);
      await takeOver(TP1);
      const err = await prepare(store.fencedBy(lease.fence), TP1).then(
        () => expect.fail('set the run up without its lease'),
        (e: Error) => e,
      );
      expect(err).to.be.instanceOf(LeaseLostError);
      expect(await store.transaction((m) => m.getRepository(FlowEntity).count())).to.equal(0);
    });

    it("builds the holder query and the pipeline's assertion once per database, not at every call: the same SQL, the driver not asked again", async () => {
      const [one, other] = [(await acquire(TP1)).fence, (await acquire(TP2)).fence];
      const statements = new LeaseFenceStatements(dataSource);
      const { driver } = dataSource;
      let driverCalls = 0;
      const counted =
        <A extends unknown[], R>(method: (...args: A) => R) =>
        (...args: A): R => (driverCalls++, method(...args));
      // Own properties over the driver's prototype methods, deleted after.
      Object.assign(driver, { escape: counted(driver.escape.bind(driver)), createParameter: counted(driver.createParameter.bind(driver)) });
      try {
        const [first, second] = [statements.holderQuery(one), statements.holderQuery(other)];
        expect(second.sql).to.equal(first.sql);
        expect(second.params).to.deep.equal(['etl', TP2]);
        expect(statements.assertion(other).params).to.deep.equal(['etl', TP2, other.holderId]);
        expect(driverCalls, 'escape/createParameter calls after construction').to.equal(0);
      } finally {
        for (const method of ['escape', 'createParameter']) Reflect.deleteProperty(driver, method);
      }
      // Still the query that names the holder, as the refusals above need.
      const { sql, params } = statements.holderQuery(one);
      const rows = await store.transaction((m) => m.query<{ holder_id: string }[]>(sql, params));
      expect(rows.map((r) => r.holder_id)).to.deep.equal([one.holderId]);
    });

    it("refuses the flow's end, and the sweep of its steps, once the lease is lost", async () => {
      const lease = await acquire(TP1);
      const run = store.fencedBy(lease.fence);
      const { flow, steps } = await prepare(run, TP1);
      await run.updateStep(steps.get('a')!, { state: StepState.IN_PROGRESS, attempt: 1 });
      await takeOver(TP1);
      const err = await run.finishFlow(flow, FlowState.INVALID).then(
        () => expect.fail('ended a flow it does not hold'),
        (e: Error) => e,
      );
      expect(err).to.be.instanceOf(LeaseLostError);
      expect(await stepRow(TP1)).to.include({ state: StepState.IN_PROGRESS });
      expect(
        (await store.transaction((m) => m.getRepository(FlowEntity).findOneByOrFail({ flowName: 'etl', timeperiod: TP1 }))).state,
      ).to.equal('in_progress');
    });
  });
}
