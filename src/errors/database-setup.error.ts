import { SynergyFlowError } from './synergy-flow.error';

/**
 * The database could not be opened, migrated or found with an up-to-date schema at start-up. The
 * driver's reason is in the message with the password removed; it is not kept as `cause`, which
 * could quote the connection string.
 */
export class DatabaseSetupError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_DATABASE_SETUP';
}
