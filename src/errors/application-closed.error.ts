import { SynergyFlowError } from './synergy-flow.error';

/** A run was asked of an application after `close()`: its database and log files are gone. */
export class ApplicationClosedError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_APPLICATION_CLOSED';

  constructor() {
    super('this application is closed: bootstrap() a new one to run flows');
  }
}
