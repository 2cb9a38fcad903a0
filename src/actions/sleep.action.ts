import { setTimeout as delay } from 'node:timers/promises';
import type { StepContext } from '../engine/step-context';
import type { Action } from '../engine/action';

/** Waits; wakes up early (and fails the step) if the step is aborted. */
export class SleepAction implements Action<{ ms: number }> {
  async run(ctx: StepContext, args: { ms: number }): Promise<void> {
    await delay(args.ms, undefined, { signal: ctx.signal });
  }
}
