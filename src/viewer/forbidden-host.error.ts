import { SynergyFlowError } from '../errors/synergy-flow.error';

/** A request to the loopback viewer under a foreign Host name: how a DNS-rebinding page would reach it. */
export class ForbiddenHostError extends SynergyFlowError {
  constructor(allowed: readonly string[]) {
    super(`this viewer listens on the loopback interface and answers only to ${allowed.join(', ')}; open it by one of those addresses`);
  }
}
