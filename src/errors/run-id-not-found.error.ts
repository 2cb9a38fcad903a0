import { SynergyFlowError } from './synergy-flow.error';

/**
 * Logs were asked for a run id that no log line of the flow carries (a typo, another flow's run,
 * a run rotated out of the logs, a run whose engine was killed before its lines were written), or for a run of another timeperiod than the one given.
 */
export class RunIdNotFoundError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_RUN_ID_NOT_FOUND';

  constructor(
    readonly flowName: string,
    readonly runId: string,
    /** The timeperiod asked with it, when the run is of another one. */
    readonly timeperiod?: string,
    /** The timeperiod the run is of, when it is not the one asked. */
    readonly actualTimeperiod?: string,
  ) {
    super(
      actualTimeperiod !== undefined
        ? `run '${runId}' of flow '${flowName}' is a run of timeperiod ${actualTimeperiod}, not ${timeperiod}: ask for timeperiod ${actualTimeperiod}, or for the run alone`
        : `flow '${flowName}' has no run '${runId}' in its log: no line of it carries that id (a run id is 14 characters, ` +
            `as FlowRunResult.runId and every event give it); check the flow and the id ('history' lists every run), or the run's lines were rotated out (logs.keepFiles), ` +
            `or its engine was killed before its first lines reached the file (they are written in batches, a few milliseconds behind)`,
    );
  }
}
