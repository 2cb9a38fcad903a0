import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { bootstrap, Flow, Main, Step, DependsOn, type SynergyFlowApp } from '../../../src';
import { createDataSource, FlowState, StateStore, StepState, type StepEntity } from '../../../src/persistence';
import { RunHistoryReader } from '../../../src/persistence/history/run-history.reader';
import { ABANDONED_RUN_ERROR, UNRECORDED_STEP_ERROR, type PrepareRunRequest } from '../../../src/persistence/state-store';
import { StepAttemptEntity } from '../../../src/persistence/step-attempt.entity';
import { IN_FLIGHT_OFFSET } from '../../../src/persistence/history/attempt-ids';
import type { FlowRunRecord } from '../../../src/domain/flow-run-record';
import { SPEC_DATABASES, type SpecDatabase } from '../fixtures/spec-databases';

const TP = '2026120100';

/** The step `held` runs until the spec lets it go; `entered` resolves once it runs. */
const gate = { entered: () => undefined as void, release: () => undefined as void };
let entered: Promise<void>;
let released: Promise<void>;
function closeGate(): void {
  entered = new Promise((resolve) => (gate.entered = resolve));
  released = new Promise((resolve) => (gate.release = resolve));
}

@Step({ name: 'first' })
class First {
  @Main() run() {}
}

@Step({ name: 'held' })
@DependsOn(First)
class Held {
  @Main() async run() {
    gate.entered();
    await released;
  }
}

@Flow({ name: 'in_flight_flow', steps: [First, Held] })
class InFlightFlow {}

const describeAttempts = (run: FlowRunRecord) =>
  run.attempts.map((a) => `${a.stepName}#${a.attempt} ${a.state}${a.finishedAt ? '' : ' running'}${a.error ? `: ${a.error}` : ''}`);

/**
 * An attempt's `step_attempt` row is inserted once, finished, when the attempt ends. Until then the
 * history reads it from the step row; and whoever ends a run that its engine left behind (the next
 * run's set-up, a run that gives up) records it, so the history never loses an attempt.
 */
for (const kind of SPEC_DATABASES) {
  describe(`persistence/history: attempts in flight on ${kind.name}`, function () {
    this.timeout(60_000);
    let db: SpecDatabase;

    beforeEach(async () => {
      db = await kind.create();
    });
    afterEach(async () => {
      await db.cleanup();
    });

    describe('read while the run goes on', () => {
      let app: SynergyFlowApp;
      afterEach(async () => {
        gate.release();
        await app?.close();
      });

      it("lists a running step's attempt, in_progress since its step row's start, beside the attempts that ended; then as it ended", async () => {
        closeGate();
        app = await bootstrap({ flows: [InFlightFlow], database: db.options, logDirectory: db.dir });
        const running = app.run('in_flight_flow', { timeperiod: TP });
        await entered;

        const [run] = await app.history('in_flight_flow');
        expect(run.state).to.equal('in_progress');
        expect(describeAttempts(run)).to.deep.equal(['first#1 processed', 'held#1 in_progress running']);
        const held = run.attempts[1];
        const { steps } = await app.status('in_flight_flow', TP);
        const heldRow = steps.find((s) => s.stepName === 'held')!;
        expect(held).to.include({
          runId: run.runId,
          flowName: 'in_flight_flow',
          timeperiod: TP,
          attempt: 1,
          finishedAt: null,
          error: null,
        });
        expect(held.startedAt.getTime(), "the step row's start").to.equal(heldRow.startedAt!.getTime());
        expect(held.cluster, 'the cluster it started on, kept on its step row').to.match(/^local-\d+$/);
        expect(await app.historyRun(run.runId)).to.deep.equal(run);
        // One step's attempts: its attempt in flight is one of them, the other step's are not.
        const [ofHeld] = await app.history('in_flight_flow', { step: 'held' });
        expect(ofHeld).to.deep.equal({ ...run, attempts: [held] });
        const [ofFirst] = await app.history('in_flight_flow', { step: 'first' });
        expect(ofFirst).to.deep.equal({ ...run, attempts: [run.attempts[0]] });

        gate.release();
        expect((await running).state).to.equal('processed');
        const [ended] = await app.history('in_flight_flow');
        expect(describeAttempts(ended)).to.deep.equal(['first#1 processed', 'held#1 processed']);
        expect(ended.attempts[1].startedAt.getTime(), 'the same start').to.equal(held.startedAt.getTime());
        expect(ended.attempts[1].cluster).to.equal(held.cluster);
      });
    });

    describe('a run whose engine stopped: its attempts in flight are recorded by whoever ends it', () => {
      let dataSource: DataSource;
      let store: StateStore;
      let reader: RunHistoryReader;
      const RESETS = { run: [], recover: ['running', 'retrying', 'legacy'], run_one: ['done'] };
      const request = (runId: string, runMode: 'run' | 'recover' | 'run_one'): PrepareRunRequest => ({
        flowName: 'etl',
        timeperiod: TP,
        startTimeperiod: null,
        endTimeperiod: null,
        runMode,
        stepNames: ['done', 'running', 'retrying', 'legacy'],
        reset: new Set(RESETS[runMode]),
        purge: runMode === 'run',
        history: { runId, trigger: 'api', stepName: null },
      });
      /** An attempt row as the engine keeps it in memory while the attempt runs. */
      const attemptOf = (step: StepEntity, runId: string, id: number) =>
        Object.assign(new StepAttemptEntity(), {
          id,
          runId,
          flowName: 'etl',
          timeperiod: TP,
          stepName: step.stepName,
          attempt: step.attempt,
          state: StepState.IN_PROGRESS,
          cluster: 'local-1',
          startedAt: step.startedAt!,
          finishedAt: null,
          error: null,
        });
      // What the engine writes when an attempt starts, the run that starts it included.
      const start = (step: StepEntity, runId: string) =>
        store.updateStep(step, { state: StepState.IN_PROGRESS, attempt: 1, startedAt: new Date(), runId, cluster: 'local-1' });

      beforeEach(async () => {
        dataSource = await createDataSource(db.options);
        store = new StateStore(dataSource);
        reader = new RunHistoryReader(dataSource);
      });
      afterEach(async () => {
        await dataSource.destroy();
      });

      /** A run that stopped with one attempt ended, one running, one waiting for its retry, one written by the previous release. */
      const deadRun = async (runId: string) => {
        const { steps, firstAttemptId } = await store.prepareRun(request(runId, 'run'));
        const [done, running, retrying, legacy] = ['done', 'running', 'retrying', 'legacy'].map((name) => steps.get(name)!);
        await Promise.all([start(done, runId), start(running, runId), start(retrying, runId), start(legacy, runId)]);
        const finishedAt = new Date();
        await store.updateStep(
          done,
          { state: StepState.PROCESSED, finishedAt },
          {
            end: attemptOf(done, runId, firstAttemptId!),
            patch: { state: StepState.PROCESSED, finishedAt, error: null },
          },
        );
        // Failed, waiting for its retry: the step stays in_progress, its attempt's row is written.
        await store.updateStep(
          retrying,
          { error: 'Error: boom' },
          {
            end: attemptOf(retrying, runId, firstAttemptId! + 1),
            patch: { state: StepState.INVALID, finishedAt, error: 'Error: boom' },
          },
        );
        // The previous release inserted a running attempt's row when it started.
        await store.transaction((m) => m.insert(StepAttemptEntity, attemptOf(legacy, runId, firstAttemptId! + 2)));
        return { running, firstAttemptId: firstAttemptId! };
      };

      it("the history shows its running attempt from the step row; the next run's set-up records it invalid, once, with every other", async () => {
        const { running, firstAttemptId } = await deadRun('deadrun0000001');
        const [before] = await reader.list('etl', { limit: 10 });
        expect(describeAttempts(before)).to.have.members([
          'done#1 processed',
          'running#1 in_progress running',
          'retrying#1 invalid: Error: boom',
          'legacy#1 in_progress running',
        ]);
        // Rows keep the ids the engine gave; an attempt in flight has none yet: the negative of its step row's id.
        expect(Object.fromEntries(before.attempts.map((a) => [a.stepName, a.id]))).to.deep.equal({
          done: firstAttemptId,
          retrying: firstAttemptId + 1,
          legacy: firstAttemptId + 2,
          running: -running.id,
        });

        // Another engine (the lease of the dead one ran out) recovers the timeperiod.
        const next = new StateStore(dataSource);
        await next.prepareRun(request('nextrun0000001', 'recover'));
        const [recovery, dead] = await reader.list('etl', { limit: 10 });
        expect(recovery.runId).to.equal('nextrun0000001');
        expect(recovery.attempts, 'the steps it reset are not its attempts').to.deep.equal([]);
        expect(dead).to.include({ runId: 'deadrun0000001', state: FlowState.INVALID, error: ABANDONED_RUN_ERROR });
        expect(describeAttempts(dead)).to.have.members([
          'done#1 processed',
          `running#1 invalid: ${ABANDONED_RUN_ERROR}`,
          'retrying#1 invalid: Error: boom',
          `legacy#1 invalid: ${ABANDONED_RUN_ERROR}`,
        ]);
        const recorded = dead.attempts.find((a) => a.stepName === 'running')!;
        expect(recorded.startedAt.getTime(), 'its start, from the step row').to.equal(running.startedAt!.getTime());
        expect(recorded.cluster, 'its cluster, from the step row').to.equal('local-1');
        // Recorded with an id of its own, out of the range the dead engine's ids came from (it may have given more).
        const ids = dead.attempts.map((a) => a.id);
        expect(new Set(ids).size, 'every id unique').to.equal(ids.length);
        expect(recorded.id).to.satisfy(
          (id: number) => Number.isSafeInteger(id) && id > 0 && (id < firstAttemptId || id >= firstAttemptId + IN_FLIGHT_OFFSET),
        );
        expect(recorded.finishedAt).to.be.an.instanceOf(Date);
        expect(await reader.find('deadrun0000001')).to.deep.equal(dead);
      });

      it('a step row an older run left in_progress is no attempt of the run after it (one that does not reset that step)', async () => {
        await deadRun('deadrun0000002');
        await new StateStore(dataSource).prepareRun(request('runone00000002', 'run_one'));
        const [runOne, dead] = await reader.list('etl', { limit: 10 });
        expect(runOne).to.include({ runId: 'runone00000002', state: FlowState.IN_PROGRESS });
        expect(runOne.attempts).to.deep.equal([]);
        expect(describeAttempts(dead)).to.include(`running#1 invalid: ${ABANDONED_RUN_ERROR}`);
      });

      it('a run that gives up records its attempts still in flight invalid; the late end of one of them writes no second row', async () => {
        const { steps, flow, firstAttemptId } = await store.prepareRun(request('gaveup00000001', 'run'));
        const running = steps.get('running')!;
        await start(running, 'gaveup00000001');
        const inMemory = attemptOf(running, 'gaveup00000001', firstAttemptId!);

        await store.finishFlow(flow, FlowState.INVALID, { runId: 'gaveup00000001', error: 'cancelled', attempts: [inMemory] });
        const finishedAt = new Date();
        // The step's own end, after the run gave up: its row was recorded already.
        await store.updateStep(
          running,
          { state: StepState.PROCESSED, finishedAt },
          {
            end: inMemory,
            patch: { state: StepState.PROCESSED, finishedAt, error: null },
          },
        );

        const [run] = await reader.list('etl', { limit: 10 });
        expect(run).to.include({ state: FlowState.INVALID, error: 'cancelled' });
        expect(describeAttempts(run)).to.deep.equal([`running#1 invalid: ${UNRECORDED_STEP_ERROR}`]);
      });
    });
  });
}
