import { SynergyFlowError } from './synergy-flow.error';

const FLOW_RUN_NOT_FOUND_MESSAGES = {
  recover: (flowName: string, timeperiod: string) =>
    `flow '${flowName}' has never run for timeperiod ${timeperiod}: there is nothing to recover; start it with run`,
  status: (flowName: string, timeperiod: string) =>
    `flow '${flowName}' has never run for timeperiod ${timeperiod}: it has no state yet; start it with run`,
  logs: (flowName: string, timeperiod: string) =>
    `flow '${flowName}' has never run for timeperiod ${timeperiod}: no line of its log carries it ` +
    `(or its lines were rotated out: logs.keepFiles); check the timeperiod, or start it with run`,
};

/** recover (or status, or logs) asked about a [flow, timeperiod] that has never run. */
export class FlowRunNotFoundError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_FLOW_RUN_NOT_FOUND';

  constructor(
    readonly flowName: string,
    readonly timeperiod: string,
    /** What was asked: recovering a run that never started, showing its state, or its log lines. */
    readonly operation: 'recover' | 'status' | 'logs' = 'recover',
  ) {
    super(FLOW_RUN_NOT_FOUND_MESSAGES[operation](flowName, timeperiod));
  }
}
