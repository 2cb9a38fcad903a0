import { SynergyFlowError } from './synergy-flow.error';

/** A request to the loopback viewer under a foreign Host name: how a DNS-rebinding page would reach it. */
export class ForbiddenHostError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_FORBIDDEN_HOST';

  constructor(allowed: readonly string[]) {
    super(`this viewer listens on the loopback interface and answers only to ${allowed.join(', ')}; open it by one of those addresses`);
  }
}
