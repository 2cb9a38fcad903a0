import { SynergyFlowError } from './synergy-flow.error';

/** A call reached an application that is closing or closed: it runs nothing and reads nothing any more. */
export class ApplicationClosedError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_APPLICATION_CLOSED';

  constructor(
    /** What was asked: `run`, `status`, `ready`... */
    readonly operation: string,
    readonly state: 'closing' | 'closed',
  ) {
    super(`cannot ${operation}: this application is ${state} (app.close() was called): bootstrap() a new application to go on`);
  }
}
