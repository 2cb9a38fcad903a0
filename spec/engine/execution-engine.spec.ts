import { expect } from 'chai';
import {
  FlowRunNotFoundError,
  FlowState,
  InvalidTimeperiodError,
  StepBlockedError,
  StepState,
  UnknownFlowError,
  UnknownStepError,
  type StepRecord,
} from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { EightStepFlow } from '../../samples';
import { FailureFlow, FanFlow, failureSwitch } from '../support/engine-flows';
import { maxInFlight, startedSteps } from '../support/in-flight';
import { tempDatabase } from '../support/temp-database';

const TP = '2026112600';

describe('engine/ExecutionEngine: the four run modes', () => {
  let t: TestingApp;
  let db: ReturnType<typeof tempDatabase>;

  beforeEach(async () => {
    db = tempDatabase();
    failureSwitch.failing = true;
    t = await createTestingApp({ flows: [EightStepFlow, FailureFlow, FanFlow], database: db.database });
  });

  afterEach(async () => {
    await t.teardown();
    db.cleanup();
  });

  const byName = (steps: StepRecord[]) => Object.fromEntries(steps.map((s) => [s.stepName, s]));
  const eventsFrom = (index: number) => t.events.slice(index);

  describe('run', () => {
    it('runs every step, each only after all its dependencies finished (timestamps from the database)', async () => {
      const result = await t.app.run('eight_steps', { timeperiod: TP });
      expect(result.state).to.equal(FlowState.PROCESSED);
      expect(Object.values(result.steps)).to.deep.equal(Array(8).fill(StepState.PROCESSED));

      const { flow, steps } = await t.app.status('eight_steps', TP);
      expect(flow).to.include({ flowName: 'eight_steps', timeperiod: TP, state: FlowState.PROCESSED, runMode: 'run' });
      expect(flow.startedAt).to.be.instanceOf(Date);
      expect(flow.finishedAt!.getTime()).to.be.at.least(flow.startedAt!.getTime());
      const rows = byName(steps);
      const graph = t.app.graph('eight_steps');
      for (const step of graph.steps) {
        expect(rows[step]).to.include({ state: StepState.PROCESSED, attempt: 1, flowId: flow.id });
        for (const dep of graph.dependenciesOf(step)) {
          expect(rows[step].startedAt!.getTime(), `${step} started before ${dep} finished`).to.be.at.least(rows[dep].finishedAt!.getTime());
        }
      }
    });

    it('never has more steps in flight than clusters', async () => {
      await t.app.run('fan_flow', { timeperiod: TP, clusters: 2 });
      expect(maxInFlight(t.events)).to.equal(2);
      const mark = t.events.length;
      await t.app.run('fan_flow', { timeperiod: TP, clusters: 4 });
      expect(maxInFlight(eventsFrom(mark))).to.equal(4);
    });

    it('purges the step records of an earlier run of the same timeperiod', async () => {
      await t.app.run('eight_steps', { timeperiod: TP });
      const before = (await t.app.status('eight_steps', TP)).steps.map((s) => s.id);
      await t.app.run('eight_steps', { timeperiod: TP });
      const after = await t.app.status('eight_steps', TP);
      expect(after.steps).to.have.length(8);
      expect(after.steps.map((s) => s.id)).to.not.have.members(before);
      expect(after.flow.state).to.equal(FlowState.PROCESSED);
    });

    it("the seed's failure flow: the failing step is invalid, its dependents never start, its post actions never run, the flow is invalid", async () => {
      const result = await t.app.run('failure_flow', { timeperiod: TP });
      expect(result.state).to.equal(FlowState.INVALID);
      expect(result.steps).to.deep.equal({
        step_1: 'processed',
        step_2: 'processed',
        step_3: 'processed',
        step_4: 'invalid',
        step_5: 'embryo',
      });
      const rows = byName((await t.app.status('failure_flow', TP)).steps);
      expect(rows.step_4.error).to.include('step_4 failed on purpose');
      expect(rows.step_5.startedAt).to.equal(null);
      expect(startedSteps(t.events)).to.not.include('step_5');
      const step4Actions = t.events
        .filter((e) => e.type === 'action' && e.stepName === 'step_4')
        .map((e) => e.type === 'action' && `${e.actionName}:${e.state}`);
      expect(step4Actions).to.deep.equal(['prepare:started', 'prepare:completed', 'run:started', 'run:failed']);
      expect((await t.app.status('failure_flow', TP)).flow.state).to.equal(FlowState.INVALID);
    });
  });

  describe('recover', () => {
    it('after a fix, re-runs only what was not processed', async () => {
      await t.app.run('failure_flow', { timeperiod: TP });
      const before = byName((await t.app.status('failure_flow', TP)).steps);
      failureSwitch.failing = false;
      const mark = t.events.length;
      const result = await t.app.recover('failure_flow', { timeperiod: TP });
      expect(result.state).to.equal(FlowState.PROCESSED);
      expect(startedSteps(eventsFrom(mark))).to.deep.equal(['step_4', 'step_5']);
      const after = byName((await t.app.status('failure_flow', TP)).steps);
      for (const kept of ['step_1', 'step_2', 'step_3']) {
        expect(after[kept].startedAt!.getTime()).to.equal(before[kept].startedAt!.getTime());
        expect(after[kept].id).to.equal(before[kept].id);
      }
      expect((await t.app.status('failure_flow', TP)).flow.runMode).to.equal('recover');
    });

    it('refuses a flow that never ran for that timeperiod, and writes nothing', async () => {
      let error: unknown;
      await t.app.recover('eight_steps', { timeperiod: TP }).catch((err) => (error = err));
      expect(error).to.be.instanceOf(FlowRunNotFoundError);
      expect((error as Error).message).to.include('start it with run');
      expect(await t.app.runs('eight_steps')).to.deep.equal([]);
    });
  });

  describe('runOne', () => {
    it('raises StepBlockedError when a dependency is not processed, and changes nothing', async () => {
      await t.app.run('failure_flow', { timeperiod: TP });
      const before = await t.app.status('failure_flow', TP);
      let error: unknown;
      await t.app.runOne('failure_flow', 'step_5', { timeperiod: TP }).catch((err) => (error = err));
      expect(error).to.be.instanceOf(StepBlockedError);
      expect((error as Error).message)
        .to.include("'step_4'")
        .and.include('step_5');
      const after = await t.app.status('failure_flow', TP);
      expect(after).to.deep.equal(before);
    });

    it('runs exactly that step, on one cluster, once its dependencies are processed', async () => {
      await t.app.run('failure_flow', { timeperiod: TP });
      failureSwitch.failing = false;
      const mark = t.events.length;
      const result = await t.app.runOne('failure_flow', 'step_4', { timeperiod: TP });
      expect(startedSteps(eventsFrom(mark))).to.deep.equal(['step_4']);
      expect(result.steps.step_4).to.equal(StepState.PROCESSED);
      // step_5 has still never run: the flow is complete only once it has
      expect(result.steps.step_5).to.equal(StepState.EMBRYO);
      expect(result.state).to.equal(FlowState.EMBRYO);
      const one = await t.app.runOne('failure_flow', 'step_5', { timeperiod: TP });
      expect(one.state).to.equal(FlowState.PROCESSED);
    });

    it('runs a root step of a timeperiod that never ran', async () => {
      const result = await t.app.runOne('eight_steps', 'step_1', { timeperiod: TP });
      expect(result.steps.step_1).to.equal(StepState.PROCESSED);
      expect(result.steps.step_2).to.equal(StepState.EMBRYO);
    });
  });

  describe('runFrom', () => {
    it('re-runs exactly the step and its descendants', async () => {
      await t.app.run('eight_steps', { timeperiod: TP });
      const before = byName((await t.app.status('eight_steps', TP)).steps);
      const mark = t.events.length;
      const result = await t.app.runFrom('eight_steps', 'step_6', { timeperiod: TP });
      expect(result.state).to.equal(FlowState.PROCESSED);
      expect(startedSteps(eventsFrom(mark)).sort()).to.deep.equal(['step_6', 'step_7', 'step_8']);
      const after = byName((await t.app.status('eight_steps', TP)).steps);
      for (const kept of ['step_1', 'step_2', 'step_3', 'step_4', 'step_5'])
        expect(after[kept].startedAt).to.deep.equal(before[kept].startedAt);
      for (const rerun of ['step_6', 'step_7', 'step_8'])
        expect(after[rerun].startedAt!.getTime()).to.be.greaterThan(before[rerun].finishedAt!.getTime() - 1);
    });

    it('uses max(1, round(nominal x toRun / total)) clusters', async () => {
      await t.app.run('fan_flow', { timeperiod: TP, clusters: 4 });
      const mark = t.events.length;
      // r1 + its five leaves = 6 of 8 steps: round(4 x 6 / 8) = 3 clusters
      await t.app.runFrom('fan_flow', 'r1', { timeperiod: TP, clusters: 4 });
      expect(startedSteps(eventsFrom(mark))).to.have.members(['r1', 'p1', 'p2', 'p3', 'p4', 'p5']);
      expect(maxInFlight(eventsFrom(mark))).to.equal(3);
      const clusters = new Set(eventsFrom(mark).flatMap((e) => (e.type === 'step' && e.cluster ? [e.cluster] : [])));
      expect(clusters.size).to.equal(3);
    });

    it('raises StepBlockedError when the step depends on unprocessed steps', async () => {
      let error: unknown;
      await t.app.runFrom('eight_steps', 'step_3', { timeperiod: TP }).catch((err) => (error = err));
      expect(error).to.be.instanceOf(StepBlockedError);
      expect(await t.app.runs('eight_steps')).to.deep.equal([]);
    });

    it('raises StepBlockedError, changing nothing, when a descendant also depends on a step outside the run that is not processed', async () => {
      // failure_flow: step_5 depends on step_3 and step_4; step_4 fails.
      const failed = await t.app.run('failure_flow', { timeperiod: TP, failFast: false });
      expect(failed.steps).to.include({ step_3: StepState.PROCESSED, step_4: StepState.INVALID, step_5: StepState.EMBRYO });
      const before = await t.app.status('failure_flow', TP);
      const runsBefore = await t.app.runs('failure_flow');
      const mark = t.events.length;

      const error = await t.app.runFrom('failure_flow', 'step_3', { timeperiod: TP }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error).to.be.instanceOf(StepBlockedError);
      expect(error).to.include({ stepName: 'step_5', fromStep: 'step_3' });
      expect((error as StepBlockedError).blockedBy).to.deep.equal(['step_4']);
      expect((error as Error).message).to.equal(
        "runFrom 'step_3' would run step 'step_5' of flow 'failure_flow' for timeperiod 2026112600, which is blocked: " +
          "its dependencies 'step_4' are not processed; run them first (runOne or runFrom each of them, or recover the flow)",
      );
      expect(startedSteps(eventsFrom(mark))).to.deep.equal([]);
      expect(await t.app.status('failure_flow', TP)).to.deep.equal(before);
      expect(await t.app.runs('failure_flow')).to.deep.equal(runsBefore);

      // Once step_4 is processed, the same request runs step_3 and step_5.
      failureSwitch.failing = false;
      await t.app.runOne('failure_flow', 'step_4', { timeperiod: TP });
      const rerun = await t.app.runFrom('failure_flow', 'step_3', { timeperiod: TP });
      expect(rerun.state).to.equal(FlowState.PROCESSED);
      expect(rerun.steps.step_5).to.equal(StepState.PROCESSED);
    });
  });

  describe('bad requests', () => {
    it('reject unknown flows, unknown steps and bad timeperiods with named errors, persisting nothing', async () => {
      await t.app.run('eight_steps', { timeperiod: TP });
      const before = await t.app.status('eight_steps', TP);
      const attempts: Array<[() => Promise<unknown>, new (...args: never[]) => Error, string]> = [
        [() => t.app.run('nope', { timeperiod: TP }), UnknownFlowError, "unknown flow 'nope'"],
        [() => t.app.runOne('eight_steps', 'step_9', { timeperiod: TP }), UnknownStepError, "has no step 'step_9'"],
        [() => t.app.runFrom('eight_steps', 'nope', { timeperiod: TP }), UnknownStepError, 'step_1'],
        [() => t.app.run('eight_steps', { timeperiod: '2026133100' }), InvalidTimeperiodError, 'month 13'],
        [() => t.app.recover('eight_steps', { timeperiod: '20261126' }), InvalidTimeperiodError, 'YYYYMMDDHH'],
        [() => t.app.run('eight_steps', { timeperiod: TP, startTimeperiod: '2026022900' }), InvalidTimeperiodError, 'day 29'],
      ];
      for (const [attempt, type, text] of attempts) {
        const error = await attempt().then(
          () => null,
          (err) => err,
        );
        expect(error, text).to.be.instanceOf(type);
        expect((error as Error).message).to.include(text);
      }
      expect(() => t.app.graph('nope')).to.throw(UnknownFlowError);
      expect(await t.app.status('eight_steps', TP)).to.deep.equal(before);
    });

    it('refuses to run once the application is closed, saying what to do', async () => {
      const other = await createTestingApp({ flows: [EightStepFlow] });
      await other.teardown();
      const error = await other.app.run('eight_steps', { timeperiod: TP }).then(
        () => null,
        (err) => err,
      );
      expect(error).to.include({ name: 'ApplicationClosedError', code: 'ERR_SYNERGY_APPLICATION_CLOSED' });
      expect((error as Error).message).to.include('application is closed');
    });

    it('refuses a second run of the same [flow, timeperiod] while the first runs', async () => {
      const first = t.app.run('eight_steps', { timeperiod: TP });
      const second = await t.app.run('eight_steps', { timeperiod: TP }).then(
        () => null,
        (err) => err,
      );
      expect((second as Error)?.name).to.equal('FlowLockedError');
      expect((await first).state).to.equal(FlowState.PROCESSED);
    });
  });
});
