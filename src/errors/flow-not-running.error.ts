import { SynergyFlowError } from './synergy-flow.error';

/** Cancel asked for a run that this application is not running. */
export class FlowNotRunningError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_FLOW_NOT_RUNNING';

  constructor(
    readonly flowName: string,
    readonly timeperiod: string,
  ) {
    super(
      `flow '${flowName}' for timeperiod ${timeperiod} is not running in this application, so there is nothing to cancel; ` +
        `a run started by another engine must be cancelled there`,
    );
  }
}
