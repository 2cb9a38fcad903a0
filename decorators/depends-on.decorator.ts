import 'reflect-metadata';
import { DEPENDS_ON_METADATA } from './metadata-keys';
import type { Type } from './types';

/**
 * The steps that must be processed before this one starts. It may be written several times; the
 * dependencies add up.
 *
 * @param dependencies step classes, or step names, of the same flow
 * @returns the class decorator
 * @throws {@link FlowDefinitionError} not here but from `bootstrap()`: a dependency that is not in the flow
 * (`unknown-dependency`), on itself (`self-dependency`), or a cycle (`cycle`, its path in the message)
 * @example
 * ```ts
 * @Step()
 * @DependsOn(Extract, 'load_dimensions')
 * class Transform {
 *   @Main() run(ctx: StepContext) { ctx.logger.info('both are processed'); }
 * }
 * ```
 */
export function DependsOn(...dependencies: Array<Type | string>): ClassDecorator {
  return (target) => {
    const recorded: Array<Type | string> = (Reflect.getOwnMetadata(DEPENDS_ON_METADATA, target) as Array<Type | string> | undefined) ?? [];
    Reflect.defineMetadata(DEPENDS_ON_METADATA, [...recorded, ...dependencies], target);
  };
}
