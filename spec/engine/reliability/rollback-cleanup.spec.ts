import * as fs from 'node:fs';
import { expect } from 'chai';
import { Flow, Main, Post, Pre, Rollback, SleepAction, Step, StepState, type Action, type FlowEvent, type StepContext } from '../../../src';
import { createTestingApp, type TestingApp } from '../../../src/testing';

const TP = '2026112600';
const GRACE_MS = 300;
/** What ran, in order, across every action's run, rollback and cleanup. */
const trail: string[] = [];

interface Tagged {
  tag: string;
  fail?: boolean;
}

class Recorded implements Action<Tagged> {
  run(_ctx: StepContext, args: Tagged) {
    trail.push(`run ${args.tag}`);
    if (args.fail) throw new Error(`${args.tag} failed`);
  }
  rollback(_ctx: StepContext, args: Tagged) {
    trail.push(`rollback ${args.tag}`);
  }
  async cleanup(_ctx: StepContext, args: Tagged) {
    await Promise.resolve();
    trail.push(`cleanup ${args.tag}`);
  }
}

class BrokenRollback implements Action<Tagged> {
  run(_ctx: StepContext, args: Tagged) {
    trail.push(`run ${args.tag}`);
  }
  rollback(): never {
    throw new Error('the undo script is missing');
  }
}

/** Undoes with a cluster command: proves rollback still has a live signal after a timeout. */
class ShellUndo implements Action<Tagged> {
  run(_ctx: StepContext, args: Tagged) {
    trail.push(`run ${args.tag}`);
  }
  async rollback(ctx: StepContext, args: Tagged) {
    const { stdout } = await ctx.cluster.runCommand(['echo', `undone ${args.tag}`]);
    trail.push(`rollback ${args.tag}: ${stdout.trim()}, signal aborted: ${ctx.signal.aborted}`);
  }
}

class HangingCleanup implements Action<Tagged> {
  run(_ctx: StepContext, args: Tagged) {
    trail.push(`run ${args.tag}`);
  }
  cleanup() {
    trail.push('cleanup starts and never ends');
    return new Promise(() => undefined);
  }
}

@Step({ name: 'failing_post' })
@Pre(Recorded, { tag: 'pre1' }, { name: 'pre1' })
@Pre(Recorded, { tag: 'pre2' }, { name: 'pre2' })
@Main(Recorded, { tag: 'main' }, { name: 'main' })
@Post(Recorded, { tag: 'post', fail: true }, { name: 'post' })
class FailingPost {
  @Rollback() undo(ctx: StepContext) {
    trail.push(`@Rollback undo (attempt ${ctx.attempt})`);
  }
}

@Step({ name: 'succeeding' })
@Pre(Recorded, { tag: 'pre1' }, { name: 'pre1' })
@Main(Recorded, { tag: 'main' }, { name: 'main' })
class Succeeding {
  @Rollback() undo() {
    trail.push('@Rollback must not run on success');
  }
}

@Step({ name: 'bad_rollback' })
@Pre(BrokenRollback, { tag: 'broken' }, { name: 'broken' })
@Pre(Recorded, { tag: 'fine' }, { name: 'fine' })
class BadRollback {
  @Main() run() {
    trail.push('run main');
    throw new Error('main failed');
  }
}

@Step({ name: 'timed_out', timeoutMs: 100 })
@Pre(ShellUndo, { tag: 'pre' }, { name: 'pre' })
@Main(SleepAction, { ms: 60_000 })
class TimedOut {}

@Step({ name: 'hanging_cleanup', timeoutMs: 100 })
@Pre(HangingCleanup, { tag: 'pre' }, { name: 'pre' })
@Main(SleepAction, { ms: 60_000 })
class HangingCleanupStep {}

@Step({ name: 'retried', retries: 1 })
@Pre(Recorded, { tag: 'pre' }, { name: 'pre' })
class Retried {
  @Main() run(ctx: StepContext) {
    trail.push(`run main (attempt ${ctx.attempt})`);
    if (ctx.attempt === 1) throw new Error('first attempt fails');
  }
}

@Flow({ name: 'rollback_flow', steps: [FailingPost, Succeeding, BadRollback, TimedOut, HangingCleanupStep, Retried] })
class RollbackFlow {}

const finalizers = (events: FlowEvent[]) =>
  events.flatMap((e) =>
    e.type === 'rollback' || e.type === 'cleanup' ? [`${e.type} ${e.actionName} ${e.state} (attempt ${e.attempt})`] : [],
  );

describe('engine/reliability: rollback and cleanup', () => {
  let t: TestingApp;

  beforeEach(async () => {
    trail.length = 0;
    t = await createTestingApp({ flows: [RollbackFlow], gracePeriodMs: GRACE_MS });
  });

  afterEach(() => t.teardown());

  const runOne = (step: string) => t.app.runOne('rollback_flow', step, { timeperiod: TP });

  it('rolls back the completed actions newest first, then @Rollback methods, then cleans up every started action newest first', async () => {
    const result = await runOne('failing_post');
    expect(result.steps.failing_post).to.equal(StepState.INVALID);
    expect(trail).to.deep.equal([
      'run pre1',
      'run pre2',
      'run main',
      'run post',
      'rollback main',
      'rollback pre2',
      'rollback pre1',
      '@Rollback undo (attempt 1)',
      'cleanup post', // the failed action started: it is cleaned up too
      'cleanup main',
      'cleanup pre2',
      'cleanup pre1',
    ]);
    expect(finalizers(t.events)).to.deep.equal([
      'rollback main completed (attempt 1)',
      'rollback pre2 completed (attempt 1)',
      'rollback pre1 completed (attempt 1)',
      'rollback undo completed (attempt 1)',
      'cleanup post completed (attempt 1)',
      'cleanup main completed (attempt 1)',
      'cleanup pre2 completed (attempt 1)',
      'cleanup pre1 completed (attempt 1)',
    ]);
    // the finalizers run before the step's failure is recorded
    const lastFinalizer = t.events.map((e) => e.type).lastIndexOf('cleanup');
    const invalid = t.events.findIndex((e) => e.type === 'step' && e.state === 'invalid');
    expect(lastFinalizer).to.be.below(invalid);
    t.app.logs.flush();
    const log = fs.readFileSync(t.app.logs.stepLogFile('rollback_flow', 'failing_post'), 'utf8');
    expect(log).to.match(/failing_post\.main INFO \[\S+\] rollback completed in [\d.]+ ms/);
    expect(log).to.match(/failing_post\.undo INFO \[\S+\] rollback completed in [\d.]+ ms/);
    expect(log).to.match(/failing_post\.pre1 INFO \[\S+\] cleanup completed in [\d.]+ ms/);
  });

  it('on success, cleans up every action and rolls back nothing', async () => {
    const result = await runOne('succeeding');
    expect(result.steps.succeeding).to.equal(StepState.PROCESSED);
    expect(trail).to.deep.equal(['run pre1', 'run main', 'cleanup main', 'cleanup pre1']);
    expect(finalizers(t.events)).to.deep.equal(['cleanup main completed (attempt 1)', 'cleanup pre1 completed (attempt 1)']);
  });

  it('a failing rollback is logged and emitted; the other rollbacks still run and the step keeps its own error', async () => {
    await runOne('bad_rollback');
    expect(trail).to.deep.equal(['run broken', 'run fine', 'run main', 'rollback fine', 'cleanup fine']);
    const failed = t.events.find((e) => e.type === 'rollback' && e.state === 'failed');
    expect(failed).to.deep.include({ actionName: 'broken', error: 'Error: the undo script is missing' });
    const { steps } = await t.app.status('rollback_flow', TP);
    expect(steps.find((s) => s.stepName === 'bad_rollback')!.error).to.equal('Error: main failed');
    t.app.logs.flush();
    expect(fs.readFileSync(t.app.logs.stepLogFile('rollback_flow', 'bad_rollback'), 'utf8')).to.match(
      /bad_rollback\.broken ERROR \[\S+\] rollback failed after [\d.]+ ms: Error: the undo script is missing/,
    );
  });

  it('after a timeout, rollback gets a live signal and can still run cluster commands', async () => {
    const result = await runOne('timed_out');
    expect(result.steps.timed_out).to.equal(StepState.INVALID);
    expect(trail).to.deep.equal(['run pre', 'rollback pre: undone pre, signal aborted: false']);
  });

  it('a cleanup that hangs after an abort is abandoned when the grace period ends, and the step is recorded', async () => {
    const result = await runOne('hanging_cleanup');
    expect(result.steps.hanging_cleanup).to.equal(StepState.INVALID);
    expect(trail).to.deep.equal(['run pre', 'cleanup starts and never ends']);
    const cleanup = t.events.find((e) => e.type === 'cleanup');
    expect(cleanup).to.deep.include({ actionName: 'pre', state: 'failed' });
    expect(cleanup?.type === 'cleanup' && cleanup.error).to.match(/^abandoned, the grace period ran out: StepTimeoutError/);
    const inProgress = t.events.find((e) => e.type === 'step' && e.state === 'in_progress')!;
    const invalid = t.events.find((e) => e.type === 'step' && e.state === 'invalid')!;
    // Timeout + grace, with room for a loaded machine; far below the 60 s the main action would have slept.
    expect(invalid.at - inProgress.at).to.be.below(100 + GRACE_MS + 15_000);
  });

  it('every attempt rolls back and cleans up its own actions', async () => {
    const result = await runOne('retried');
    expect(result.steps.retried).to.equal(StepState.PROCESSED);
    expect(trail).to.deep.equal([
      'run pre',
      'run main (attempt 1)',
      'rollback pre',
      'cleanup pre',
      'run pre',
      'run main (attempt 2)',
      'cleanup pre',
    ]);
    expect(finalizers(t.events)).to.deep.equal([
      'rollback pre completed (attempt 1)',
      'cleanup pre completed (attempt 1)',
      'cleanup pre completed (attempt 2)',
    ]);
  });
});
