import 'reflect-metadata';
import { ROLLBACK_METADATA } from './metadata-keys';

/**
 * Marks a step method that undoes the step's work when one of its actions fails. It runs in the
 * same attempt (the same instance), after the completed actions' own rollbacks.
 *
 * @returns the method decorator
 * @example
 * ```ts
 * @Step()
 * class Publish {
 *   @Main() async run(ctx: StepContext) { await ctx.cluster.filesystem.cp('/tmp/out/', 's3://bucket/out/'); }
 *   @Rollback() async undo(ctx: StepContext) { await ctx.cluster.filesystem.rmdir('s3://bucket/out/'); }
 * }
 * ```
 */
export function Rollback(): MethodDecorator {
  return (target, propertyKey) => {
    const ctor = target.constructor;
    const recorded: string[] = (Reflect.getOwnMetadata(ROLLBACK_METADATA, ctor) as string[] | undefined) ?? [];
    Reflect.defineMetadata(ROLLBACK_METADATA, [...recorded, String(propertyKey)], ctor);
  };
}
