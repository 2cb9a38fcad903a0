import { SynergyFlowError } from './synergy-flow.error';

export class UnknownFlowError extends SynergyFlowError {
  constructor(readonly flowName: string, known: readonly string[]) {
    super(`unknown flow '${flowName}': the flows registered with bootstrap() are ${known.length ? known.map((n) => `'${n}'`).join(', ') : '(none)'}; pass the @Flow class in bootstrap({ flows: [...] })`);
  }
}
