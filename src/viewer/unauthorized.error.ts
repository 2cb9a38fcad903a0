import { SynergyFlowError } from '../errors/synergy-flow.error';

/** The viewer has a token and the request did not carry it. The message never repeats what was sent. */
export class UnauthorizedError extends SynergyFlowError {
  constructor() {
    super('this viewer requires its token: send the header "Authorization: Bearer <token>" (the page asks for it once)');
  }
}
