import { SynergyFlowError } from './synergy-flow.error';

/** recover (or status) asked about a [flow, timeperiod] that has never run. */
export class FlowRunNotFoundError extends SynergyFlowError {
  constructor(readonly flowName: string, readonly timeperiod: string) {
    super(`flow '${flowName}' has never run for timeperiod ${timeperiod}: start it with run, not recover`);
  }
}
