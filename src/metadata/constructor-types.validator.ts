import 'reflect-metadata';
import type { Type } from '../../decorators/types';
import { FlowDefinitionError } from '../errors';

/** Where tsyringe's @inject(TOKEN) records its tokens: { [parameterIndex]: token }. */
const INJECTION_TOKENS_METADATA = 'injectionTokens';

/**
 * What TypeScript's emitDecoratorMetadata writes for a parameter whose type leaves nothing at run
 * time: `Object` for an interface or a type alias, `Function` or `Object` for a class imported
 * with `import type`, `undefined` for a class not yet defined (a circular import).
 */
const UNKNOWN_AT_RUN_TIME: ReadonlySet<unknown> = new Set([undefined, null, Object, Function]);

/**
 * Checks that tsyringe can resolve every constructor parameter of a step or action class. Without
 * this, the mistake shows only when the step first runs, as tsyringe's bare "TypeInfo not known
 * for Function", far from its cause. A parameter with an explicit @inject(TOKEN) is fine whatever
 * its type. `where` names the flow, the step and (for an action class) the action.
 */
export function validateConstructorTypes(at: { flow: string; step: string }, where: string, target: Type): void {
  const declared: unknown[] | undefined = Reflect.getMetadata('design:paramtypes', target) as unknown[] | undefined;
  const tokens: Record<number, unknown> =
    (Reflect.getOwnMetadata(INJECTION_TOKENS_METADATA, target) as Record<number, unknown> | undefined) ?? {};
  const count = Math.max(declared?.length ?? 0, target.length);
  for (let index = 0; index < count; index++) {
    if (index in tokens) continue;
    const position = `constructor parameter ${index + 1} of ${count}`;
    if (!declared) {
      throw new FlowDefinitionError(
        `${where}: class ${target.name} has no parameter types at run time (${position} cannot be injected): ` +
          `TypeScript records them only for a decorated class (an action class needs @injectable()) compiled by tsc ` +
          `with "experimentalDecorators": true and "emitDecoratorMetadata": true in tsconfig.json ` +
          `(esbuild-based runners such as tsx drop decorator metadata); or give the parameter an @inject(TOKEN)`,
        { kind: 'unknown-constructor-types', ...at },
      );
    }
    const type = declared[index];
    if (UNKNOWN_AT_RUN_TIME.has(type)) {
      throw new FlowDefinitionError(
        `${where}: class ${target.name}'s ${position} has a type unknown at run time (${describe(type)}): ` +
          `it is an interface, a type alias or a type-only import (\`import type\`, \`import { type X }\`), which leave nothing to inject. ` +
          `Import the class as a value (\`import { X }\`), or inject it by token with @inject(TOKEN) (the only way for an interface)`,
        { kind: 'unknown-constructor-types', ...at },
      );
    }
  }
}

function describe(type: unknown): string {
  return typeof type === 'function' ? type.name : String(type);
}
