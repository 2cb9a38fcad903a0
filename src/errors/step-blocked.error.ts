import { SynergyFlowError } from './synergy-flow.error';

/** runOne/runFrom asked for a step whose dependencies are not processed yet (for runFrom: or a descendant's, outside the run). */
export class StepBlockedError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_STEP_BLOCKED';

  constructor(
    readonly flowName: string,
    readonly timeperiod: string,
    readonly stepName: string,
    readonly blockedBy: readonly string[],
    /** True when [flow, timeperiod] has never run at all: then there is nothing to recover. */
    readonly neverRan = false,
    /** Set when stepName is a descendant that runFrom(fromStep) would have run, and fromStep itself was not blocked. */
    readonly fromStep?: string,
  ) {
    super(
      `${fromStep ? `runFrom '${fromStep}' would run ` : ''}step '${stepName}' of flow '${flowName}' for timeperiod ${timeperiod}` +
        `${fromStep ? ', which' : ''} is blocked: its dependencies ` +
        `${blockedBy.map((n) => `'${n}'`).join(', ')} are not processed; ` +
        (neverRan
          ? 'the flow has never run for this timeperiod: run it first (run), or runOne each dependency'
          : 'run them first (runOne or runFrom each of them, or recover the flow)'),
    );
  }
}
