import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import { Flow, FlowState, Main, SleepAction, Step, StepState, type FlowEvent, type StepContext } from '../../../src';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import { isRunning, pidsIn, survivors } from './process-probe';

const TP = '2026112600';
const GRACE_MS = 1_500;
/** The abort reasons the actions saw on their ctx.signal. */
const seen: string[] = [];
let shellPidFile = '';

@Step({ name: 'hung_js', timeoutMs: 100 })
class HungJs {
  @Main() run(ctx: StepContext) {
    ctx.signal.addEventListener('abort', () => seen.push(`hung_js:${(ctx.signal.reason as Error).name}`));
    return new Promise(() => undefined); // ignores its signal: never settles
  }
}

@Step({ name: 'polite', timeoutMs: 100 })
@Main(SleepAction, { ms: 60_000 })
class Polite {}

@Step({ name: 'action_timeout', timeoutMs: 60_000 })
class ActionTimeout {
  @Main({ timeoutMs: 80 }) async run(ctx: StepContext) {
    await delay(60_000, undefined, { signal: ctx.signal });
  }
}

@Step({ name: 'slow_then_fast', timeoutMs: 100, retries: 1 })
class SlowThenFast {
  @Main() async run(ctx: StepContext) {
    if (ctx.attempt === 1) await delay(60_000, undefined, { signal: ctx.signal });
  }
}

@Step({ name: 'hung_shell' })
class HungShell {
  @Main({ timeoutMs: 1_000 }) async run(ctx: StepContext) {
    // two grandchildren in the background, then the shell itself waits for them
    await ctx.cluster.runShellCommand(
      `sleep 300 & echo $! >> ${shellPidFile}; sleep 300 & echo $! >> ${shellPidFile}; echo $$ >> ${shellPidFile}; wait`,
    );
  }
}

@Flow({ name: 'timeout_flow', steps: [HungJs, Polite, ActionTimeout, SlowThenFast, HungShell] })
class TimeoutFlow {}

const stepEvent = (events: FlowEvent[], step: string, state: string) =>
  events.find((e) => e.type === 'step' && e.stepName === step && e.state === state)!;

describe('engine/reliability: timeouts', () => {
  let t: TestingApp;

  beforeEach(async () => {
    seen.length = 0;
    t = await createTestingApp({ flows: [TimeoutFlow], gracePeriodMs: GRACE_MS });
  });

  afterEach(() => t.teardown());

  const runOne = (step: string) => t.app.runOne('timeout_flow', step, { timeperiod: TP });
  const row = async (step: string) => (await t.app.status('timeout_flow', TP)).steps.find((s) => s.stepName === step)!;

  it('a hung JS action that ignores its signal: the signal aborts with StepTimeoutError, the step fails after the grace period', async () => {
    const result = await runOne('hung_js');
    expect(result.steps.hung_js).to.equal(StepState.INVALID);
    expect(result.state).to.equal(FlowState.INVALID);
    expect(seen).to.deep.equal(['hung_js:StepTimeoutError']);
    expect((await row('hung_js')).error).to.equal(
      "StepTimeoutError: step 'hung_js' timed out after 100 ms; raise timeoutMs in its options if it legitimately needs longer",
    );
    const took = stepEvent(t.events, 'hung_js', 'invalid').at - stepEvent(t.events, 'hung_js', 'in_progress').at;
    expect(took)
      .to.be.at.least(100 + GRACE_MS - 1)
      .and.below(100 + GRACE_MS + 1_000);
  });

  it('an action that obeys its signal ends at the timeout, without waiting for the grace period', async () => {
    const result = await runOne('polite');
    expect(result.steps.polite).to.equal(StepState.INVALID);
    expect((await row('polite')).error).to.match(/^StepTimeoutError: step 'polite' timed out after 100 ms/);
    const took = stepEvent(t.events, 'polite', 'invalid').at - stepEvent(t.events, 'polite', 'in_progress').at;
    expect(took).to.be.at.least(99).and.below(GRACE_MS);
  });

  it("an action's own timeoutMs fails the step and names the action", async () => {
    await runOne('action_timeout');
    expect((await row('action_timeout')).error).to.match(/^StepTimeoutError: action 'action_timeout\.run' timed out after 80 ms/);
  });

  it('a timed-out attempt is retried like any failure', async () => {
    const result = await runOne('slow_then_fast');
    expect(result.steps.slow_then_fast).to.equal(StepState.PROCESSED);
    expect(await row('slow_then_fast')).to.include({ attempt: 2, error: null });
    const retry = t.events.find((e) => e.type === 'retry');
    expect(retry && retry.type === 'retry' && retry.error).to.match(/^StepTimeoutError: step 'slow_then_fast' timed out after 100 ms/);
  });

  it('a hung shell command is killed with its whole process group: no child process survives', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-timeout-'));
    shellPidFile = path.join(dir, 'pids');
    try {
      const running = runOne('hung_shell');
      const pids = await pidsIn(shellPidFile, 3);
      expect(pids.filter(isRunning), 'the shell and its two sleeps run before the timeout').to.have.length(3);
      const result = await running;
      expect(result.steps.hung_shell).to.equal(StepState.INVALID);
      expect((await row('hung_shell')).error).to.match(/^StepTimeoutError: action 'hung_shell\.run' timed out after 1000 ms/);
      expect(await survivors(pids)).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
