import 'reflect-metadata';
import { DEPENDS_ON_METADATA } from './metadata-keys';
import type { Type } from './types';

/** The steps (classes or step names) that must be processed before this one starts. */
export function DependsOn(...dependencies: Array<Type | string>): ClassDecorator {
  return (target) => {
    const recorded: Array<Type | string> = Reflect.getOwnMetadata(DEPENDS_ON_METADATA, target) ?? [];
    Reflect.defineMetadata(DEPENDS_ON_METADATA, [...recorded, ...dependencies], target);
  };
}
