import { SynergyFlowError } from './synergy-flow.error';

/** The command line was asked something it cannot do; the message says what to type instead. */
export class CliUsageError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_CLI_USAGE';
}
