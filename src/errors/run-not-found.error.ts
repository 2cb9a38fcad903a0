import { SynergyFlowError } from './synergy-flow.error';

/** A run id (history's `before`, `historyRun`, the CLI's `--run`) names no run this database keeps. */
export class RunNotFoundError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_RUN_NOT_FOUND';

  constructor(
    readonly runId: string,
    /** The flow the run was asked of, when the question named one. */
    readonly flowName?: string,
    /** The flow the run does belong to, when it is another one's. */
    readonly ownerFlow?: string,
  ) {
    const where = flowName ? ` of flow '${flowName}'` : '';
    super(
      ownerFlow
        ? `run '${runId}' is a run of flow '${ownerFlow}', not${where.replace(' of', '')}: pass a run id that \`history\` lists for flow '${flowName}'`
        : `no run '${runId}'${where} in the history: it never ran here, or it ended longer ago than history.keepDays and was deleted; \`history\` lists the runs kept`,
    );
  }
}
