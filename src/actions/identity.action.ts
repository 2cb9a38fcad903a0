import type { StepContext } from '../engine/step-context';
import type { Action } from '../engine/action';

/** Does nothing and succeeds: a placeholder main action. */
export class IdentityAction implements Action<void> {
  run(ctx: StepContext): void {
    ctx.logger.debug('identity');
  }
}
