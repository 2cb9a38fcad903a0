import { SynergyFlowError } from './synergy-flow.error';

/** The run was not asked for by its id: it is the timeperiod's latest in the history, read by default (the viewer's logs). */
export interface LatestRunOf {
  timeperiod: string;
  /** The log file (its name) that has no line of it, nor its rotated files. */
  logFile: string;
}

/**
 * Logs were asked for a run id that no log line of the flow carries (a typo, another flow's run,
 * a run rotated out of the logs, a run whose engine was killed before its lines were written), or for a run of another timeperiod than the one given.
 * With `latestOf`, nobody gave that id: it is the timeperiod's latest run, which the history knows and the log has no line of.
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
    /** Set when the run was read as the timeperiod's latest, its id not given. */
    readonly latestOf?: LatestRunOf,
  ) {
    super(
      latestOf !== undefined
        ? `the latest run of flow '${flowName}' for timeperiod ${latestOf.timeperiod}, '${runId}' (as its history says), has no lines in ${latestOf.logFile}: ` +
            `they were rotated out (logs.keepFiles) or deleted, or its engine was killed before its first lines reached the file; ` +
            `ask for an earlier run of ${latestOf.timeperiod} by its runId ('history' lists them)`
        : actualTimeperiod !== undefined
          ? `run '${runId}' of flow '${flowName}' is a run of timeperiod ${actualTimeperiod}, not ${timeperiod}: ask for timeperiod ${actualTimeperiod}, or for the run alone`
          : `flow '${flowName}' has no run '${runId}' in its log: no line of it carries that id (a run id is 14 characters, ` +
            `as FlowRunResult.runId and every event give it); check the flow and the id ('history' lists every run), or the run's lines were rotated out (logs.keepFiles), ` +
            `or its engine was killed before its first lines reached the file (they are written in batches, a few milliseconds behind)`,
    );
  }
}
