import { SynergyFlowError } from './synergy-flow.error';

/** Somebody else (this process or another engine) is running the same [flow, timeperiod]. */
export class FlowLockedError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_FLOW_LOCKED';

  /**
   * @param holder the holder for people: `host pid 1234 (instance ...) since ...`
   * @param holderInstanceId the holding process's instance id (its `flow_lease.instance_id`): host and
   * pid alone do not tell two containers apart; null when the holder is unknown or its row predates the column
   */
  constructor(
    readonly flowName: string,
    readonly timeperiod: string,
    readonly holder: string,
    readonly holderInstanceId: string | null = null,
  ) {
    super(`flow '${flowName}' for timeperiod ${timeperiod} is already running (held by ${holder}); wait for it to finish or cancel it`);
  }
}
