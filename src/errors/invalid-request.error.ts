import { SynergyFlowError } from './synergy-flow.error';

/** A viewer request whose query or body is malformed (a bad limit, an unknown option). */
export class InvalidRequestError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_INVALID_REQUEST';
}
