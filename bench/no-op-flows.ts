import { DependsOn, Flow, Main, Step, type Type } from '../src';
import { noOpGraph, type FlowShape, type NoOpGraph } from './no-op-graph';

export { LAYER_WIDTH, type FlowShape } from './no-op-graph';

/**
 * When set, each step's main action calls it with the step's index: the comparison with the peers
 * measures a hop between the steps' own code, as the peers' jobs time theirs. Unset, the action
 * does nothing but read this field.
 */
export const mainActionProbe: { onRun?: (stepIndex: number) => void } = {};

/** A no-op flow: its graph, and the @Flow class that runs it. */
export interface NoOpFlow extends NoOpGraph {
  flowClass: Type;
}

/**
 * Builds a @Flow class of `steps` no-op steps through the public decorators, exactly as a user's
 * code would (the decorators are applied as functions because the classes are generated).
 */
export function noOpFlow(shape: FlowShape, steps: number): NoOpFlow {
  const graph = noOpGraph(shape, steps);
  const dependencies = new Map<string, string[]>();
  for (const [dependency, dependent] of graph.edges) dependencies.set(dependent, [...(dependencies.get(dependent) ?? []), dependency]);
  const classes: Type[] = graph.stepNames.map((stepName, i) => noOpStep(stepName, i, dependencies.get(stepName) ?? []));
  class BenchFlow {}
  Flow({ name: graph.name, steps: classes })(BenchFlow);
  return { ...graph, flowClass: BenchFlow };
}

function noOpStep(stepName: string, index: number, deps: string[]): Type {
  const StepClass = class {
    run(): void {
      mainActionProbe.onRun?.(index);
    }
  };
  Object.defineProperty(StepClass, 'name', { value: `Step_${stepName}` });
  const descriptor = Object.getOwnPropertyDescriptor(StepClass.prototype, 'run')!;
  Main()(StepClass.prototype, 'run', descriptor);
  Step({ name: stepName })(StepClass);
  if (deps.length) DependsOn(...deps)(StepClass);
  return StepClass;
}
