import 'reflect-metadata';
import { ACTIONS_METADATA } from './metadata-keys';
import type { ActionMetadata, ActionOptions, ActionPhase, Type } from './types';

/**
 * The shape shared by `@Pre`, `@Main` and `@Post`:
 * - on a method: `@Pre()` / `@Pre({ skip: true })`;
 * - on the class: `@Pre(MkdirAction, { uri: '/tmp/x' }, { skip: true })`.
 */
export interface ActionDecorator {
  (options?: ActionOptions): MethodDecorator;
  <A>(actionClass: Type, args?: A | ((ctx: never) => A), options?: ActionOptions): ClassDecorator;
}

export function createActionDecorator(phase: ActionPhase): ActionDecorator {
  return (first?: Type | ActionOptions, args?: unknown, options?: ActionOptions) => (target: object, propertyKey?: string | symbol) => {
    if (typeof first === 'function') {
      // Class decorators apply bottom-up; unshift keeps the order in which they are written.
      const ctor = target as Type;
      record(ctor, (list) => list.unshift({ phase, kind: 'class', actionClass: first, args, options: options ?? {} }));
    } else {
      const ctor = (target as { constructor: Type }).constructor;
      record(ctor, (list) => list.push({ phase, kind: 'method', methodName: String(propertyKey), options: first ?? {} }));
    }
  };
}

function record(ctor: Type, change: (list: ActionMetadata[]) => void): void {
  const list: ActionMetadata[] = [...((Reflect.getOwnMetadata(ACTIONS_METADATA, ctor) as ActionMetadata[] | undefined) ?? [])];
  change(list);
  Reflect.defineMetadata(ACTIONS_METADATA, list, ctor);
}
