import { setTimeout as delay } from 'node:timers/promises';
import { DependsOn, FailureAction, Flow, IdentityAction, Main, Post, Pre, SleepAction, Step, type StepContext } from '../../src';

/** Switches the seed's failing step on and off between runs (a "fix" deployed before recover). */
export const failureSwitch = { failing: true };

/* The original synergy_flow failure flow: step_4 fails, so step_5 never starts. */
@Step({ name: 'step_1' })
@Pre(IdentityAction)
@Main(IdentityAction)
@Post(IdentityAction)
@Post(IdentityAction, undefined, { name: 'IdentityAction2' })
class F1 {}

@Step({ name: 'step_2' })
@DependsOn(F1)
@Pre(IdentityAction)
@Main(IdentityAction)
@Post(IdentityAction)
class F2 {}

@Step({ name: 'step_3' })
@DependsOn(F2)
@Pre(IdentityAction)
@Main(SleepAction, { ms: 30 })
@Post(IdentityAction)
class F3 {}

@Step({ name: 'step_4' })
@DependsOn(F2)
@Post(IdentityAction)
class F4 {
  @Pre() prepare(ctx: StepContext) {
    ctx.logger.info('preparing step_4');
  }

  @Main() run() {
    if (failureSwitch.failing) throw new Error('step_4 failed on purpose');
  }

  @Post() verify(ctx: StepContext) {
    ctx.logger.info('verified step_4');
  }
}

@Step({ name: 'step_5' })
@DependsOn(F3, F4)
@Main(IdentityAction)
class F5 {}

@Flow({ name: 'failure_flow', steps: [F1, F2, F3, F4, F5] })
export class FailureFlow {}

/* Two roots: r1 fans out to five leaves, r2 to one. 8 steps, for cluster-count and in-flight checks. */
const fanStep = (name: string, deps: string[]) => {
  @Step({ name })
  @DependsOn(...deps)
  @Main(SleepAction, { ms: 40 })
  class FanStep {}
  return FanStep;
};

@Flow({
  name: 'fan_flow',
  steps: [fanStep('r1', []), fanStep('r2', []), ...['p1', 'p2', 'p3', 'p4', 'p5'].map((p) => fanStep(p, ['r1'])), fanStep('q1', ['r2'])],
})
export class FanFlow {}

/* Independent branches around a failing root, for fail-fast vs failFast: false. */
@Step({ name: 'bad' })
@Main(FailureAction, { message: 'bad branch' })
class Bad {}

@Step({ name: 'ok' })
class Ok {
  @Main() async run() {
    await delay(5);
  }
}

@Step({ name: 'after_ok' })
@DependsOn(Ok)
@Main(IdentityAction)
class AfterOk {}

@Step({ name: 'after_bad' })
@DependsOn(Bad)
@Main(IdentityAction)
class AfterBad {}

@Flow({ name: 'branches_flow', steps: [Bad, Ok, AfterOk, AfterBad] })
export class BranchesFlow {}

/* Skips: a skipped step and a skipped action. */
@Step({ name: 'skipped_step', skip: true })
@Main(FailureAction)
class SkippedStep {}

@Step({ name: 'after_skip' })
@DependsOn(SkippedStep)
@Pre(FailureAction, undefined, { skip: true })
class AfterSkip {
  @Main() run() {}
  @Post({ skip: true }) never() {
    throw new Error('a skipped action ran');
  }
}

@Flow({ name: 'skip_flow', steps: [SkippedStep, AfterSkip] })
export class SkipFlow {}

/* A failing pre action: main and post must not run. */
@Step({ name: 'bad_pre' })
@Pre(FailureAction, { message: 'pre failed' })
class BadPre {
  @Main() run() {
    throw new Error('main ran after a failed pre');
  }
  @Post() after() {
    throw new Error('post ran after a failed pre');
  }
}

@Flow({ name: 'bad_pre_flow', steps: [BadPre] })
export class BadPreFlow {}

/* A long step to cancel. */
@Step({ name: 'long' })
@Main(SleepAction, { ms: 10_000 })
class Long {}

@Step({ name: 'after_long' })
@DependsOn(Long)
@Main(IdentityAction)
class AfterLong {}

@Flow({ name: 'long_flow', steps: [Long, AfterLong] })
export class LongFlow {}
