import { createActionDecorator } from './action-decorator.factory';

/**
 * An action run after the main one succeeded; several are run in the order they are declared.
 *
 * @throws {@link FlowDefinitionError} not here but from `bootstrap()`: wrong action options, or on something
 * that is not a method
 * @example
 * ```ts
 * @Step()
 * class Extract {
 *   @Main() async run(ctx: StepContext) { await ctx.cluster.runShellCommand('ls -al'); }
 *   @Post() verify(ctx: StepContext) { ctx.logger.info('extracted'); }
 * }
 * ```
 */
export const Post = createActionDecorator('post');
