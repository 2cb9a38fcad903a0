import type { StepContext } from '../engine/step-context';
import type { Action } from '../engine/action';

/** Runs a Hadoop jar on the step's cluster. */
export class HadoopAction implements Action<{ jar: string; args?: string[] }> {
  async run(ctx: StepContext, args: { jar: string; args?: string[] }): Promise<void> {
    await ctx.cluster.runHadoopStep(args.jar, args.args);
  }
}
