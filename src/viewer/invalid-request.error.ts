import { SynergyFlowError } from '../errors/synergy-flow.error';

/** A viewer request whose query or body is malformed (a bad limit, an unknown option). */
export class InvalidRequestError extends SynergyFlowError {}
