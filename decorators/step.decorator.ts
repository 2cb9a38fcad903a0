import 'reflect-metadata';
import { STEP_METADATA } from './metadata-keys';
import type { StepOptions } from './types';

/** Declares a step class. Its constructor parameters are injected by tsyringe on every execution. */
export function Step(options: StepOptions = {}): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(STEP_METADATA, options, target);
  };
}
