import { DependsOn, Flow, IdentityAction, Main, Pre, Step, type StepContext } from '../../src';

/** The password an action of `retry_once` is given: the viewer must never show it. */
export const ACTION_PASSWORD = 'hunter2-action-password';

@Step({ name: 'extract' })
@Pre(IdentityAction, { source: '/data/in', password: ACTION_PASSWORD, credentials: { user: 'etl' } })
class Extract {
  @Main() async run(ctx: StepContext) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    ctx.logger.info('extracted');
  }
}

/** Fails its first attempt and succeeds on the retry: the timeline must show both. */
@Step({ name: 'flaky', retries: 1, retryDelayMs: 0 })
@DependsOn(Extract)
class Flaky {
  @Main() async run(ctx: StepContext) {
    await new Promise((resolve) => setTimeout(resolve, 30));
    if (ctx.attempt === 1) throw new Error('the first attempt fails on purpose');
    ctx.logger.info('succeeded on attempt 2');
  }
}

@Step({ name: 'publish' })
@DependsOn(Flaky)
@Main(IdentityAction, (ctx: StepContext) => ({ target: `/data/out/${ctx.timeperiod}` }))
class Publish {}

@Flow({ name: 'retry_once', steps: [Extract, Flaky, Publish] })
export class RetryOnceFlow {}
