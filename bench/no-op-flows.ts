import { DependsOn, Flow, Main, Step, type Type } from '../src';

/** The shapes the benchmark runs: every step's main action does nothing, so only the engine costs. */
export type FlowShape = 'chain' | 'layered' | 'independent';

export interface NoOpFlow {
  flowClass: Type;
  name: string;
  shape: FlowShape;
  steps: number;
  /** [dependency, dependent] pairs, for the in-memory baseline to run the very same graph. */
  edges: Array<[string, string]>;
  stepNames: string[];
  /** Each step's position in stepNames. */
  indexOf: ReadonlyMap<string, number>;
}

/** Layered DAG: layers `width` wide, each step depends on two steps of the layer before. */
export const LAYER_WIDTH = 50;

/**
 * Builds a @Flow class of `steps` no-op steps through the public decorators, exactly as a user's
 * code would (the decorators are applied as functions because the classes are generated).
 */
export function noOpFlow(shape: FlowShape, steps: number): NoOpFlow {
  const name = `bench_${shape}_${steps}`;
  const stepNames = Array.from({ length: steps }, (_, i) => `s${String(i).padStart(5, '0')}`);
  const edges: Array<[string, string]> = [];
  const classes: Type[] = stepNames.map((stepName, i) => {
    const deps = dependenciesOf(shape, i).map((d) => stepNames[d]);
    for (const dep of deps) edges.push([dep, stepName]);
    return noOpStep(stepName, deps);
  });
  class BenchFlow {}
  Flow({ name, steps: classes })(BenchFlow);
  return { flowClass: BenchFlow, name, shape, steps, edges, stepNames, indexOf: new Map(stepNames.map((step, i) => [step, i])) };
}

function dependenciesOf(shape: FlowShape, i: number): number[] {
  switch (shape) {
    case 'chain':
      return i === 0 ? [] : [i - 1];
    case 'independent':
      return [];
    case 'layered': {
      if (i < LAYER_WIDTH) return [];
      // the step right above and its neighbour (wrapping), so every layer is fully connected to the next
      const layerStart = i - (i % LAYER_WIDTH);
      const above = i - LAYER_WIDTH;
      const neighbour = layerStart - LAYER_WIDTH + ((i % LAYER_WIDTH) + 1) % LAYER_WIDTH;
      return [above, neighbour];
    }
  }
}

function noOpStep(stepName: string, deps: string[]): Type {
  const StepClass = class {
    run(): void {}
  };
  Object.defineProperty(StepClass, 'name', { value: `Step_${stepName}` });
  const descriptor = Object.getOwnPropertyDescriptor(StepClass.prototype, 'run')!;
  Main()(StepClass.prototype, 'run', descriptor);
  Step({ name: stepName })(StepClass);
  if (deps.length) DependsOn(...deps)(StepClass);
  return StepClass;
}
