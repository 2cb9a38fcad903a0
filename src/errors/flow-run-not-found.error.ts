import { SynergyFlowError } from './synergy-flow.error';

/** recover (or status) asked about a [flow, timeperiod] that has never run. */
export class FlowRunNotFoundError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_FLOW_RUN_NOT_FOUND';

  constructor(
    readonly flowName: string,
    readonly timeperiod: string,
    /** What was asked: recovering a run that never started, or showing its state. */
    readonly operation: 'recover' | 'status' = 'recover',
  ) {
    super(
      operation === 'recover'
        ? `flow '${flowName}' has never run for timeperiod ${timeperiod}: there is nothing to recover; start it with run`
        : `flow '${flowName}' has never run for timeperiod ${timeperiod}: it has no state yet; start it with run`,
    );
  }
}
