import type { StepContext } from '../engine/step-context';
import type { Action } from '../engine/action';

/** Always fails: for testing a flow's failure and recovery paths. */
export class FailureAction implements Action<{ message?: string } | undefined> {
  run(_ctx: StepContext, args?: { message?: string }): never {
    throw new Error(args?.message ?? 'FailureAction failed on purpose');
  }
}
