import { SynergyFlowError } from './synergy-flow.error';

/** runOne/runFrom asked for a step whose dependencies are not processed yet. */
export class StepBlockedError extends SynergyFlowError {
  constructor(readonly flowName: string, readonly timeperiod: string, readonly stepName: string, readonly blockedBy: readonly string[]) {
    super(
      `step '${stepName}' of flow '${flowName}' for timeperiod ${timeperiod} is blocked: its dependencies ` +
        `${blockedBy.map((n) => `'${n}'`).join(', ')} are not processed; run them first (recover or runFrom one of them)`,
    );
  }
}
