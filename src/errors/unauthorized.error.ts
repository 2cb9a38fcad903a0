import { SynergyFlowError } from './synergy-flow.error';

/** The viewer has a token and the request did not carry it. The message never repeats what was sent. */
export class UnauthorizedError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_UNAUTHORIZED';

  constructor() {
    super('this viewer requires its token: send the header "Authorization: Bearer <token>" (the page asks for it once)');
  }
}
