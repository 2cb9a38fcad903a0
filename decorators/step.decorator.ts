import 'reflect-metadata';
import { STEP_METADATA } from './metadata-keys';
import type { StepOptions } from './types';

/**
 * Declares a step class. Its constructor parameters are injected by tsyringe on every execution:
 * each attempt gets a new instance, shared by its pre, main and post methods.
 *
 * @param options the step's `name` (default: the class name), `retries`, `retryDelayMs`, `timeoutMs`...
 * @returns the class decorator
 * @throws {@link FlowDefinitionError} not here but from `bootstrap()`: a step without one `@Main`, wrong
 * options, a reserved name (`start`, `finish`)
 * @example
 * ```ts
 * @Step({ name: 'transform', retries: 2, timeoutMs: 60_000 })
 * @DependsOn(Extract)
 * class Transform {
 *   constructor(private readonly warehouse: Warehouse) {}
 *   @Main() async run(ctx: StepContext) { await this.warehouse.load(ctx.timeperiod); }
 * }
 * ```
 */
export function Step(options: StepOptions = {}): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(STEP_METADATA, options, target);
  };
}
