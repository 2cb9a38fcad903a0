import { closestName } from './did-you-mean';
import { SynergyFlowError } from './synergy-flow.error';

export class UnknownStepError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_UNKNOWN_STEP';

  constructor(
    readonly flowName: string,
    readonly stepName: string,
    known: readonly string[],
  ) {
    const guess = closestName(stepName, known);
    super(
      `flow '${flowName}' has no step '${stepName}'${guess ? ` (did you mean '${guess}'?)` : ''}: its steps are ${known.map((n) => `'${n}'`).join(', ')}`,
    );
  }
}
