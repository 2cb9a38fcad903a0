import { SynergyFlowError } from '../errors/synergy-flow.error';

/** The command line was asked something it cannot do; the message says what to type instead. */
export class CliUsageError extends SynergyFlowError {}
