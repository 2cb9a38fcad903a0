import 'reflect-metadata';
import { FLOW_METADATA } from './metadata-keys';
import type { FlowOptions } from './types';

/** Declares a flow: a name and its steps. Validation happens in the scanner, not here. */
export function Flow(options: FlowOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(FLOW_METADATA, options, target);
  };
}
