/** The shapes the benchmark runs: every step's main action does nothing, so only the engine costs. */
export type FlowShape = 'chain' | 'layered' | 'independent';

/**
 * The graph of a no-op flow, without synergy-flow's classes: the peers run the very same graph,
 * and a peer's process must not load synergy-flow to get it (it would weigh on its peak RSS).
 */
export interface NoOpGraph {
  name: string;
  shape: FlowShape;
  steps: number;
  /** [dependency, dependent] pairs. */
  edges: Array<[string, string]>;
  stepNames: string[];
  /** Each step's position in stepNames. */
  indexOf: ReadonlyMap<string, number>;
}

/** Layered DAG: layers `width` wide, each step depends on two steps of the layer before. */
export const LAYER_WIDTH = 50;

export function noOpGraph(shape: FlowShape, steps: number): NoOpGraph {
  const name = `bench_${shape}_${steps}`;
  const stepNames = Array.from({ length: steps }, (_, i) => `s${String(i).padStart(5, '0')}`);
  const edges: Array<[string, string]> = [];
  stepNames.forEach((stepName, i) => {
    for (const dep of dependenciesOf(shape, i)) edges.push([stepNames[dep], stepName]);
  });
  return { name, shape, steps, edges, stepNames, indexOf: new Map(stepNames.map((step, i) => [step, i])) };
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
      const neighbour = layerStart - LAYER_WIDTH + (((i % LAYER_WIDTH) + 1) % LAYER_WIDTH);
      return [above, neighbour];
    }
  }
}
