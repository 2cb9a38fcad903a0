import { SynergyFlowError } from './synergy-flow.error';

/** The run was cancelled (app.cancel, an AbortSignal in the run options, or a signal to the process). */
export class FlowCancelledError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_FLOW_CANCELLED';

  constructor(
    readonly flowName: string,
    readonly timeperiod: string,
    reason?: string,
    /** Cancelled because something failed (an action's unhandled error), not by a user's or a deploy's choice. */
    readonly byFailure = false,
  ) {
    super(`flow '${flowName}' for timeperiod ${timeperiod} was cancelled${reason ? `: ${reason}` : ''}`);
  }
}
