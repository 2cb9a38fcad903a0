import type { DependencyContainer } from 'tsyringe';
import type { Type } from '../../decorators/types';
import type { Action } from './action';
import type { StepDefinition } from '../metadata/flow-definition';
import { CLUSTER, EXECUTION_CONTEXT, STEP_CONTEXT, STEP_LOGGER } from './injection-tokens';
import { StepContext } from './step-context';

/**
 * The instances one attempt runs: the step's and its action classes', all new for this attempt.
 * `dispose()` ends their container when the attempt ends; absent when there is none (a plain step).
 */
export interface AttemptInstances {
  /** The step class's instance (made when asked, so a constructor that throws fails the attempt, which still disposes). */
  step(): Record<string, unknown>;
  action(actionClass: Type): Action;
  readonly dispose?: () => Promise<void> | void;
}

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
   * The instances of one attempt of `step`. This is the one place that decides the plain-step
   * fast path: a plain step gets `new StepClass()` and no container; any other, a fresh child
   * container with the attempt's context, logger and cluster registered for injection.
   */
  instancesFor(step: StepDefinition, ctx: StepContext): AttemptInstances {
    if (this.isPlain(step)) {
      return { step: () => new step.stepClass() as Record<string, unknown>, action: plainHasNoActionClass };
    }
    const child = this.create(step.stepClass);
    child.register(StepContext, { useValue: ctx });
    child.register(STEP_CONTEXT, { useValue: ctx });
    child.register(EXECUTION_CONTEXT, { useValue: ctx });
    child.register(STEP_LOGGER, { useValue: ctx.logger });
    child.register(CLUSTER, { useValue: ctx.cluster });
    return {
      step: () => child.resolve(step.stepClass) as Record<string, unknown>,
      action: (actionClass) => child.resolve(actionClass) as Action,
      dispose: () => child.dispose(),
    };
  }

  /**
   * True when the container would do nothing for this step but `new StepClass()`: a plain class
   * (StepDefinition.plain) that the application did not register itself. Such an attempt makes no
   * container at all (a fifth of a no-op step's cost); each attempt still gets its own fresh
   * instance.
   */
  private isPlain(step: StepDefinition): boolean {
    return step.plain && !this.isRegisteredByApplication(step.stepClass);
  }

  /** Two Map lookups or so (the container and its ancestors): cheaper than keeping the answer per run. */
  private isRegisteredByApplication(stepClass: Type): boolean {
    return this.application.isRegistered(stepClass, true);
  }
}

/** A plain step has method actions only (StepDefinition.plain): asking it for an action class is a bug. */
function plainHasNoActionClass(actionClass: Type): never {
  throw new TypeError(`a plain step has no action class to resolve, yet ${actionClass.name} was asked for`);
}
