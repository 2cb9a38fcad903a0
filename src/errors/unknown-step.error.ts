import { SynergyFlowError } from './synergy-flow.error';

export class UnknownStepError extends SynergyFlowError {
  constructor(readonly flowName: string, readonly stepName: string, known: readonly string[]) {
    super(`flow '${flowName}' has no step '${stepName}': its steps are ${known.map((n) => `'${n}'`).join(', ')}`);
  }
}
