import type { DependencyContainer } from 'tsyringe';
import type { Type } from '../../decorators/types';
import type { StepDefinition } from '../metadata/flow-definition';

/**
 * Makes the fresh child container of each step attempt, at a cost that does not grow with the flow.
 *
 * tsyringe leaves an (empty) registry entry for every token it looks up in every container the
 * lookup walks through, and `createChildContainer()` scans its parent's whole registry. Children
 * made straight from the application's container would therefore cost O(step classes ever
 * resolved) each: O(steps^2) for a run, seconds for a 10,000-step flow. So, per run:
 * - children hang off one container of the run, made once from the application's;
 * - a step class is registered on its own child, so its lookup stops there and leaves no entry
 *   behind, unless the application registered that class itself (then the lookup walks up and
 *   finds the application's registration, exactly as before).
 * Instances, lifecycles and disposal are tsyringe's: only where a lookup stops changes.
 */
export class AttemptContainerFactory {
  private readonly parent: DependencyContainer;

  constructor(private readonly application: DependencyContainer) {
    this.parent = application.createChildContainer();
  }

  create(stepClass: Type): DependencyContainer {
    const child = this.parent.createChildContainer();
    if (!this.isRegisteredByApplication(stepClass)) child.register(stepClass, { useClass: stepClass });
    return child;
  }

  /**
   * True when the container would do nothing for this step but `new StepClass()`: a plain class
   * (StepDefinition.plain) that the application did not register itself. Such an attempt makes no
   * container at all (a fifth of a no-op step's cost); each attempt still gets its own fresh
   * instance.
   */
  isPlain(step: StepDefinition): boolean {
    return step.plain && !this.isRegisteredByApplication(step.stepClass);
  }

  /** Two Map lookups or so (the container and its ancestors): cheaper than keeping the answer per run. */
  private isRegisteredByApplication(stepClass: Type): boolean {
    return this.application.isRegistered(stepClass, true);
  }
}
