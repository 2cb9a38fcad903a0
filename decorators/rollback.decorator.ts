import 'reflect-metadata';
import { ROLLBACK_METADATA } from './metadata-keys';

/** Marks a step method that undoes the step's work when one of its actions fails. */
export function Rollback(): MethodDecorator {
  return (target, propertyKey) => {
    const ctor = target.constructor;
    const recorded: string[] = Reflect.getOwnMetadata(ROLLBACK_METADATA, ctor) ?? [];
    Reflect.defineMetadata(ROLLBACK_METADATA, [...recorded, String(propertyKey)], ctor);
  };
}
