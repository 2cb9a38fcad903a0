import { expect } from 'chai';
import { ConfigurationError, Flow, FlowState, Main, Step, type StepContext } from '../../src';
import { RUN_ID_PATTERN } from '../../src/domain/run-id';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { EightStepFlow } from '../../samples';
import { FailureFlow, failureSwitch } from '../support/engine-flows';

const TP = '2026112600';

const seenRunIds: string[] = [];

@Step({ name: 'remember_run' })
class RememberRun {
  @Main()
  remember(ctx: StepContext): void {
    seenRunIds.push(ctx.runId);
  }
}

@Flow({ name: 'run_id_flow', steps: [RememberRun] })
class RunIdFlow {}

describe('engine: every run has a runId', () => {
  let t: TestingApp;

  beforeEach(async () => {
    failureSwitch.failing = true;
    t = await createTestingApp({ flows: [EightStepFlow, FailureFlow, RunIdFlow] });
  });

  afterEach(() => t.teardown());

  it('returns it in FlowRunResult, and every event of the run carries the same one', async () => {
    const result = await t.app.run('eight_steps', { timeperiod: TP });
    expect(result.runId).to.match(RUN_ID_PATTERN);
    expect(t.events.length).to.be.greaterThan(16);
    expect(new Set(t.events.map((e) => e.runId))).to.deep.equal(new Set([result.runId]));
  });

  it('gives each call of run, recover, runOne and runFrom its own id, sorted by start time', async () => {
    const ids = [
      (await t.app.run('failure_flow', { timeperiod: TP })).runId,
      (await t.app.recover('failure_flow', { timeperiod: TP })).runId,
      (await t.app.runOne('failure_flow', 'step_1', { timeperiod: TP })).runId,
      (await t.app.runFrom('failure_flow', 'step_1', { timeperiod: TP })).runId,
    ];
    expect(new Set(ids).size).to.equal(4);
    // Ids made in the same millisecond tie on their time part; the random part may then order them either way.
    const times = ids.map((id) => id.slice(0, 8));
    expect([...times].sort()).to.deep.equal(times);
    for (const id of ids) expect(t.events.filter((e) => e.runId === id && e.type === 'flow')).to.have.length(2);
  });

  it('gives the steps the id in their context, the id of the run they belong to', async () => {
    seenRunIds.length = 0;
    const first = await t.app.run('run_id_flow', { timeperiod: TP });
    const second = await t.app.run('run_id_flow', { timeperiod: '2026112700' });
    expect(seenRunIds).to.deep.equal([first.runId, second.runId]);
  });

  it('refuses a trigger that is not one of api, cli, viewer, backfill, scheduler, and writes nothing', async () => {
    const error = await t.app.run('eight_steps', { timeperiod: TP, trigger: 'cron' as never }).catch((err: unknown) => err);
    expect(error).to.be.instanceOf(ConfigurationError);
    expect((error as Error).message)
      .to.contain('trigger')
      .and.contain('api, cli, viewer, backfill, scheduler');
    expect(await t.app.runs('eight_steps')).to.deep.equal([]);
    const ok = await t.app.run('eight_steps', { timeperiod: TP, trigger: 'scheduler' });
    expect(ok.state).to.equal(FlowState.PROCESSED);
  });
});
