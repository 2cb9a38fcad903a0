import { FlowState, STEP_DONE_STATES, StepState } from '../domain/states';
import type { StepEntity } from '../persistence/step.entity';

/**
 * A flow run's state once a run mode has finished, derived from all its step rows: processed when
 * every step is processed (or noop), invalid when any failed or was canceled, embryo when steps
 * are left that have not run yet (after runOne on a fresh timeperiod, say).
 */
export function flowStateOf(steps: Iterable<StepEntity>, runFailed: boolean): FlowState {
  if (runFailed) return FlowState.INVALID;
  let allDone = true;
  for (const step of steps) {
    if (step.state === StepState.INVALID || step.state === StepState.CANCELED) return FlowState.INVALID;
    if (!STEP_DONE_STATES.has(step.state)) allDone = false;
  }
  return allDone ? FlowState.PROCESSED : FlowState.EMBRYO;
}
