import { createActionDecorator } from './action-decorator.factory';

/**
 * An action run before the main one; several are run in the order they are declared (class-level
 * ones first).
 *
 * @throws {@link FlowDefinitionError} not here but from `bootstrap()`: wrong action options, or on something
 * that is not a method
 * @example
 * ```ts
 * @Step()
 * @Pre(MkdirAction, (ctx) => ({ uri: `/tmp/etl/${ctx.timeperiod}` }))
 * class Extract {
 *   @Pre() async check(ctx: StepContext) { ctx.logger.info('starting'); }
 *   @Main() async run(ctx: StepContext) { await ctx.cluster.runShellCommand('ls -al'); }
 * }
 * ```
 */
export const Pre = createActionDecorator('pre');
