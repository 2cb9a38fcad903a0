import type { SparkStepOptions } from '../clusters/cluster';
import type { StepContext } from '../engine/step-context';
import type { Action } from '../engine/action';

/** Runs a Spark application on the step's cluster (local `spark-submit`, or an EMR spark step). */
export class SparkAction implements Action<{ script: string } & SparkStepOptions> {
  async run(ctx: StepContext, { script, ...options }: { script: string } & SparkStepOptions): Promise<void> {
    await ctx.cluster.runSparkStep(script, options);
  }
}
