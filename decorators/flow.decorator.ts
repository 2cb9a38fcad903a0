import 'reflect-metadata';
import { FLOW_METADATA } from './metadata-keys';
import type { FlowOptions } from './types';

/**
 * Declares a flow: its name and its steps (`@Step` classes). The decorator only records them;
 * `bootstrap()` scans and validates every flow before anything runs.
 *
 * @param options the flow's `name` (default: the class name), its `steps` and an optional `description`
 * @returns the class decorator
 * @throws {@link FlowDefinitionError} not here but from `bootstrap()`, for a mistake in the flow (no steps,
 * two steps of the same name, a dependency outside the flow, a cycle...)
 * @example
 * ```ts
 * @Flow({ name: 'daily_etl', steps: [Extract, Transform] })
 * export class DailyEtl {}
 *
 * const app = await bootstrap({ flows: [DailyEtl] });
 * ```
 */
export function Flow(options: FlowOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(FLOW_METADATA, options, target);
  };
}
