import 'reflect-metadata';
import { FLOW_METADATA } from '../../decorators/metadata-keys';
import type { FlowOptions, Type } from '../../decorators/types';
import { FlowDefinitionError } from '../errors';
import { FlowGraph } from '../graph/flow-graph';
import type { FlowDefinition, StepDefinition } from './flow-definition';
import { scanStep } from './step-scanner';
import { validateFlow } from './flow-validator';
import { scanSchedule, validateScheduleLinks } from './schedule.validator';

/** Turns @Flow classes into validated FlowDefinitions; every declaration mistake surfaces here. */
export function scanFlows(flowClasses: readonly Type[]): Map<string, FlowDefinition> {
  const flows = new Map<string, FlowDefinition>();
  for (const flowClass of flowClasses) {
    const flow = scanFlow(flowClass);
    const existing = flows.get(flow.name);
    if (existing) {
      throw new FlowDefinitionError(
        `two flows are named '${flow.name}' (classes ${existing.flowClass.name} and ${flowClass.name}): give one of them another name in @Flow({ name })`,
        { kind: 'duplicate-flow', flow: flow.name },
      );
    }
    flows.set(flow.name, flow);
  }
  validateScheduleLinks(flows);
  return flows;
}

export function scanFlow(flowClass: Type): FlowDefinition {
  if (typeof flowClass !== 'function') {
    throw new FlowDefinitionError(`bootstrap({ flows }) got ${String(flowClass)}: pass classes decorated with @Flow`, {
      kind: 'not-a-class',
    });
  }
  const options: FlowOptions | undefined = Reflect.getOwnMetadata(FLOW_METADATA, flowClass) as FlowOptions | undefined;
  if (!options) {
    throw new FlowDefinitionError(
      `class ${flowClass.name} is passed as a flow but has no @Flow(): decorate it with @Flow({ name, steps: [...] })`,
      { kind: 'not-a-flow', flow: flowClass.name },
    );
  }
  const name = options.name ?? flowClass.name;
  if (!Array.isArray(options.steps) || options.steps.length === 0) {
    throw new FlowDefinitionError(`flow '${name}' has no steps: list its @Step classes in @Flow({ steps: [...] })`, {
      kind: 'no-steps',
      flow: name,
    });
  }
  const scanned = options.steps.map((stepClass) => scanStep(stepClass, name));
  const byClass = new Map<Type, string>(scanned.map((s) => [s.stepClass, s.name]));
  const steps = new Map<string, StepDefinition>();
  for (const { rawDependsOn, ...step } of scanned) {
    const dependsOn = rawDependsOn.map((dep) => resolveDependency(dep, byClass, name, step.name));
    steps.set(step.name, { ...step, dependsOn });
  }
  validateFlow(
    name,
    scanned.map((s) => s.name),
    steps,
  );
  const graph = new FlowGraph([...steps.values()].map((s) => ({ name: s.name, dependsOn: s.dependsOn })));
  const schedule = scanSchedule(name, options.schedule);
  return { name, flowClass, description: options.description, steps, graph, ...(schedule ? { schedule } : {}) };
}

function resolveDependency(dep: Type | string, byClass: Map<Type, string>, flowName: string, stepName: string): string {
  if (typeof dep === 'string') return dep;
  const resolved = byClass.get(dep);
  if (resolved === undefined) {
    throw new FlowDefinitionError(
      `flow '${flowName}', step '${stepName}' depends on class ${dep?.name ?? String(dep)}, which is not a step of this flow: add it to @Flow({ steps: [...] }) or remove it from @DependsOn`,
      { kind: 'unknown-dependency', flow: flowName, step: stepName },
    );
  }
  return resolved;
}
