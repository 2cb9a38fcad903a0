import { SynergyFlowError } from './synergy-flow.error';

export class StepTimeoutError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_STEP_TIMEOUT';

  constructor(
    readonly stepName: string,
    readonly timeoutMs: number,
    readonly actionName?: string,
  ) {
    super(
      `${actionName ? `action '${stepName}.${actionName}'` : `step '${stepName}'`} timed out after ${timeoutMs} ms; ` +
        `raise timeoutMs in its options if it legitimately needs longer`,
    );
  }
}
