import { SynergyFlowError } from './synergy-flow.error';

/** The run was cancelled (app.cancel, an AbortSignal in the run options, or a signal to the process). */
export class FlowCancelledError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_FLOW_CANCELLED';

  constructor(
    readonly flowName: string,
    readonly timeperiod: string,
    reason?: string,
  ) {
    super(`flow '${flowName}' for timeperiod ${timeperiod} was cancelled${reason ? `: ${reason}` : ''}`);
  }
}
