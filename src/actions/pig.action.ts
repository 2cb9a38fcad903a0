import type { StepContext } from '../engine/step-context';
import type { Action } from '../engine/action';

/** Runs a Pig script on the step's cluster (local `pig`, or an EMR pig step). */
export class PigAction implements Action<{ uri: string; params?: Record<string, string> }> {
  async run(ctx: StepContext, args: { uri: string; params?: Record<string, string> }): Promise<void> {
    await ctx.cluster.runPigStep(args.uri, args.params);
  }
}
