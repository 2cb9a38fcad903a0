import { SynergyFlowError } from './synergy-flow.error';

export class StepTimeoutError extends SynergyFlowError {
  constructor(readonly stepName: string, readonly timeoutMs: number, readonly actionName?: string) {
    super(
      `${actionName ? `action '${stepName}.${actionName}'` : `step '${stepName}'`} timed out after ${timeoutMs} ms; ` +
        `raise timeoutMs in its options if it legitimately needs longer`,
    );
  }
}
