import { SynergyFlowError } from './synergy-flow.error';

/** Somebody else (this process or another engine) is running the same [flow, timeperiod]. */
export class FlowLockedError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_FLOW_LOCKED';

  constructor(
    readonly flowName: string,
    readonly timeperiod: string,
    readonly holder: string,
  ) {
    super(`flow '${flowName}' for timeperiod ${timeperiod} is already running (held by ${holder}); wait for it to finish or cancel it`);
  }
}
