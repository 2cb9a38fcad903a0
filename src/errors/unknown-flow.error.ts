import { closestName } from './did-you-mean';
import { SynergyFlowError } from './synergy-flow.error';

export class UnknownFlowError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_UNKNOWN_FLOW';

  constructor(
    readonly flowName: string,
    known: readonly string[],
  ) {
    const guess = closestName(flowName, known);
    super(
      `unknown flow '${flowName}'${guess ? ` (did you mean '${guess}'?)` : ''}: the flows registered with bootstrap() are ` +
        `${known.length ? known.map((n) => `'${n}'`).join(', ') : '(none)'}; pass the @Flow class in bootstrap({ flows: [...] })`,
    );
  }
}
