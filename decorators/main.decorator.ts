import { createActionDecorator } from './action-decorator.factory';

/**
 * The step's one main action: a method (`@Main()`) or, on the class, a reusable action class and
 * its arguments (`@Main(SparkAction, { script })`).
 *
 * @throws {@link FlowDefinitionError} not here but from `bootstrap()`: a step with no main action
 * (`no-main`) or two (`two-mains`)
 * @example
 * ```ts
 * @Step()
 * class Extract {
 *   @Main() async run(ctx: StepContext) { await ctx.cluster.runShellCommand('ls -al'); }
 * }
 *
 * @Step()
 * @Main(SparkAction, { script: 's3://bucket/job.py' })
 * class Aggregate {}
 * ```
 */
export const Main = createActionDecorator('main');
