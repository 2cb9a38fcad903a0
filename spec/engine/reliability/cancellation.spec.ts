import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import { DependsOn, Flow, FlowState, IdentityAction, Main, Pre, Step, StepState, type Action, type StepContext } from '../../../src';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import { tempSqlite } from '../../support/temp-database';
import { isRunning, pidsIn, survivors } from './process-probe';

const TP = '2026112600';
let workDir = '';
const seen: string[] = [];

/** Makes a scratch directory for the step and always removes it. */
class ScratchDir implements Action<{ name: string }> {
  run(_ctx: StepContext, args: { name: string }) {
    fs.mkdirSync(path.join(workDir, args.name));
  }
  cleanup(_ctx: StepContext, args: { name: string }) {
    fs.rmSync(path.join(workDir, args.name), { recursive: true });
    seen.push(`cleanup ${args.name}`);
  }
}

@Step({ name: 'start_here' })
@Main(IdentityAction)
class StartHere {}

@Step({ name: 'shell_wait' })
@DependsOn(StartHere)
@Pre(ScratchDir, { name: 'shell_scratch' })
class ShellWait {
  @Main() async run(ctx: StepContext) {
    const pids = path.join(workDir, 'pids');
    await ctx.cluster.runShellCommand(`sleep 300 & echo $! >> ${pids}; echo $$ >> ${pids}; wait`);
  }
}

@Step({ name: 'js_wait' })
@DependsOn(StartHere)
class JsWait {
  @Main() async run(ctx: StepContext) {
    await delay(300_000, undefined, { signal: ctx.signal }).catch((err) => {
      seen.push(`js_wait saw ${(ctx.signal.reason as Error).name}`);
      throw err;
    });
  }
}

@Step({ name: 'after_both' })
@DependsOn(ShellWait, JsWait)
@Main(IdentityAction)
class AfterBoth {}

@Flow({ name: 'cancel_flow', steps: [StartHere, ShellWait, JsWait, AfterBoth] })
class CancelFlow {}

/** Resolves once the shell command runs (its pids are written) and js_wait's action started. */
async function bothRunning(t: TestingApp): Promise<number[]> {
  while (!t.events.some((e) => e.type === 'action' && e.stepName === 'js_wait' && e.state === 'started')) await delay(5);
  return pidsIn(path.join(workDir, 'pids'), 2);
}

describe('engine/reliability: cancellation', () => {
  let db: ReturnType<typeof tempSqlite>;
  let t: TestingApp;

  beforeEach(async () => {
    seen.length = 0;
    db = tempSqlite();
    workDir = db.dir;
    // A grace period far longer than any bound below: a loaded machine's slowness cannot pass for waiting it out.
    t = await createTestingApp({ flows: [CancelFlow], database: db.database, gracePeriodMs: 120_000 });
  });

  afterEach(async () => {
    await t.teardown();
    db.cleanup();
  });

  it('app.cancel mid-flow: running actions see the abort, the shell command group dies, cleanup runs, states are recorded, clusters are terminated', async () => {
    const running = t.app.run('cancel_flow', { timeperiod: TP });
    const pids = await bothRunning(t);
    expect(pids.filter(isRunning)).to.have.length(2);

    const cancelledAt = performance.now();
    expect(t.app.cancel('cancel_flow', TP)).to.equal(true);
    const result = await running;
    expect(performance.now() - cancelledAt, 'everything obeys the signal: no wait for the 120 s grace period').to.be.below(15_000);

    expect(result.state).to.equal(FlowState.INVALID);
    expect(result.steps).to.deep.equal({ start_here: 'processed', shell_wait: 'canceled', js_wait: 'canceled', after_both: 'embryo' });
    expect(seen).to.have.members(['js_wait saw FlowCancelledError', 'cleanup shell_scratch']);
    expect(fs.existsSync(path.join(workDir, 'shell_scratch'))).to.equal(false);
    expect(await survivors(pids)).to.deep.equal([]);

    const { flow, steps } = await t.app.status('cancel_flow', TP);
    expect(flow.state).to.equal(FlowState.INVALID);
    expect(steps.filter((s) => s.state === StepState.IN_PROGRESS)).to.deep.equal([]);
    for (const name of ['shell_wait', 'js_wait']) {
      expect(steps.find((s) => s.stepName === name)!.error).to.match(
        /^FlowCancelledError: flow 'cancel_flow' for timeperiod 2026112600 was cancelled/,
      );
    }
    t.app.logs.flush();
    const flowLog = fs.readFileSync(t.app.logs.flowLogFile('cancel_flow'), 'utf8');
    expect(flowLog).to.match(/cluster local-1 terminated/);
    expect(flowLog).to.match(/cluster local-2 terminated/);
    // The user's own cancel, no step failed: the run did not complete, yet nothing went wrong to page anyone for.
    expect(flowLog).to.match(/ WARN \[2026112600#[^\]]+\] run of timeperiod 2026112600 ended invalid in \d+ ms: FlowCancelledError/);
    expect(flowLog).not.to.match(/ ERROR /);
  });

  it('app.close() during a run cancels it and lets it record its states before the database closes', async () => {
    const running = t.app.run('cancel_flow', { timeperiod: TP });
    const pids = await bothRunning(t);
    await t.app.close();
    const result = await running;
    expect(result.steps).to.include({ shell_wait: 'canceled', js_wait: 'canceled' });
    expect(await survivors(pids)).to.deep.equal([]);

    // a fresh application on the same file sees what the closed one recorded
    const again = await createTestingApp({ flows: [CancelFlow], database: db.database });
    try {
      const { flow, steps } = await again.app.status('cancel_flow', TP);
      expect(flow.state).to.equal(FlowState.INVALID);
      expect(Object.fromEntries(steps.map((s) => [s.stepName, s.state]))).to.deep.equal({
        start_here: 'processed',
        shell_wait: 'canceled',
        js_wait: 'canceled',
        after_both: 'embryo',
      });
    } finally {
      await again.teardown();
    }
  });
});
