import 'reflect-metadata';
import { ACTIONS_METADATA, DEPENDS_ON_METADATA, ROLLBACK_METADATA, STEP_METADATA } from '../../decorators/metadata-keys';
import type { ActionMetadata, StepOptions, Type } from '../../decorators/types';
import { FlowDefinitionError } from '../errors';
import type { ActionDefinition, StepDefinition } from './flow-definition';
import { validateConstructorTypes } from './constructor-types.validator';
import { validateStepOptions } from './step-options.validator';

/**
 * Reads one @Step class's metadata into a StepDefinition. Dependencies are returned as written
 * (classes or names); the flow scanner resolves them against the flow's steps.
 */
export function scanStep(stepClass: Type, flowName: string): StepDefinition & { rawDependsOn: Array<Type | string> } {
  const where = `flow '${flowName}'`;
  if (typeof stepClass !== 'function') {
    throw new FlowDefinitionError(`${where} lists ${String(stepClass)} as a step: list @Step classes in @Flow({ steps: [...] })`, {
      kind: 'not-a-class',
      flow: flowName,
    });
  }
  const options: StepOptions | undefined = Reflect.getOwnMetadata(STEP_METADATA, stepClass) as StepOptions | undefined;
  if (!options) {
    throw new FlowDefinitionError(`${where}: class ${stepClass.name} is used as a step but has no @Step(): decorate it with @Step()`, {
      kind: 'not-a-step',
      flow: flowName,
      step: stepClass.name,
    });
  }
  const name = options.name ?? stepClass.name;
  const actions: ActionMetadata[] = (Reflect.getOwnMetadata(ACTIONS_METADATA, stepClass) as ActionMetadata[] | undefined) ?? [];
  const definitions = actions.map((a) => toActionDefinition(a));
  const of = (phase: string) => definitions.filter((a) => a.phase === phase);
  const mains = of('main');
  if (mains.length === 0) {
    throw new FlowDefinitionError(
      `${where}, step '${name}' (class ${stepClass.name}) has no @Main action: mark exactly one method with @Main(), or add @Main(ActionClass, args) on the class`,
      { kind: 'no-main', flow: flowName, step: name },
    );
  }
  if (mains.length > 1) {
    throw new FlowDefinitionError(
      `${where}, step '${name}' (class ${stepClass.name}) has ${mains.length} @Main actions (${mains.map((a) => a.name).join(', ')}): keep exactly one, move the others to @Pre or @Post`,
      { kind: 'two-mains', flow: flowName, step: name },
    );
  }
  for (const action of definitions) {
    if (action.kind === 'method' && typeof (stepClass.prototype as Record<string, unknown>)[action.methodName] !== 'function') {
      throw new FlowDefinitionError(`${where}, step '${name}': @${action.phase} is on '${action.methodName}', which is not a method`, {
        kind: 'not-a-method',
        flow: flowName,
        step: name,
      });
    }
  }
  validateStepOptions({ flow: flowName, step: name }, options, definitions);
  validateConstructorTypes({ flow: flowName, step: name }, `${where}, step '${name}'`, stepClass);
  for (const action of definitions) {
    if (action.kind === 'class')
      validateConstructorTypes({ flow: flowName, step: name }, `${where}, step '${name}', action '${action.name}'`, action.actionClass);
  }
  // tsyringe needs the constructor's parameter types registered; the scanner does it so that
  // the decorators stay pure metadata recorders.
  registerForInjection(stepClass);
  for (const action of definitions) if (action.kind === 'class') registerForInjection(action.actionClass);
  return {
    name,
    stepClass,
    options,
    rawDependsOn: (Reflect.getOwnMetadata(DEPENDS_ON_METADATA, stepClass) as Array<Type | string> | undefined) ?? [],
    dependsOn: [],
    // class-level actions first (written order), then methods (declaration order)
    pre: [...of('pre').filter((a) => a.kind === 'class'), ...of('pre').filter((a) => a.kind === 'method')],
    main: mains[0],
    rollback: (Reflect.getOwnMetadata(ROLLBACK_METADATA, stepClass) as string[] | undefined) ?? [],
    post: [...of('post').filter((a) => a.kind === 'class'), ...of('post').filter((a) => a.kind === 'method')],
    plain: isPlainClass(stepClass, definitions),
  };
}

/**
 * `@injectable()` for a class with constructor parameters. One without needs nothing registered
 * (tsyringe makes it with `new`, as it would with an empty registration), and a flow of such
 * classes never loads tsyringe at bootstrap: `--help` and `list` do not need it.
 */
function registerForInjection(target: Type): void {
  const declared = (Reflect.getMetadata('design:paramtypes', target) as unknown[] | undefined)?.length ?? 0;
  if (Math.max(declared, target.length) === 0) return;
  const { injectable } = require('tsyringe') as typeof import('tsyringe');
  injectable()(target);
}

/** StepDefinition.plain: no class actions, no constructor parameters, nothing to dispose. */
function isPlainClass(stepClass: Type, actions: readonly ActionDefinition[]): boolean {
  const parameters = (Reflect.getMetadata('design:paramtypes', stepClass) as unknown[] | undefined)?.length ?? 0;
  return (
    actions.every((action) => action.kind === 'method') &&
    stepClass.length === 0 &&
    parameters === 0 &&
    typeof (stepClass.prototype as { dispose?: unknown }).dispose !== 'function'
  );
}

function toActionDefinition(meta: ActionMetadata): ActionDefinition {
  if (meta.kind === 'method') {
    return {
      name: meta.options.name ?? meta.methodName,
      phase: meta.phase,
      kind: 'method',
      methodName: meta.methodName,
      options: meta.options,
    };
  }
  return {
    name: meta.options.name ?? meta.actionClass.name,
    phase: meta.phase,
    kind: 'class',
    actionClass: meta.actionClass,
    args: meta.args,
    options: meta.options,
  };
}
