import { PGraph, type PGraphNodeRecord } from 'p-graph';
import type { NoOpFlow } from './no-op-flows';
import { distribution, perSecond, type Distribution } from './stats';

export interface PGraphBaselineFigures {
  scenario: string;
  steps: number;
  concurrency: number;
  stepsPerSecond: number;
  hopMs: Distribution | null;
}

/**
 * The limit of pure scheduling in Node: p-graph runs the same graph, same concurrency, with the
 * same no-op steps, in memory (no persistence, no logs, no containers).
 */
export async function runPGraphBaseline(flow: NoOpFlow, concurrency: number): Promise<PGraphBaselineFigures> {
  const startedAt = new Map<string, number>();
  const endedAt = new Map<string, number>();
  const nodes: PGraphNodeRecord = {};
  for (const name of flow.stepNames) nodes[name] = {};
  const graph = new PGraph(nodes, flow.edges);
  const began = performance.now();
  await graph.run({
    concurrency,
    run: async (name) => {
      startedAt.set(name, performance.now());
      endedAt.set(name, performance.now());
    },
  });
  const elapsed = performance.now() - began;
  const readyAt = new Map<string, number>();
  for (const [dependency, dependent] of flow.edges) {
    readyAt.set(dependent, Math.max(readyAt.get(dependent) ?? -Infinity, endedAt.get(dependency)!));
  }
  return {
    scenario: flow.name,
    steps: flow.steps,
    concurrency,
    stepsPerSecond: perSecond(flow.steps, elapsed),
    hopMs: distribution([...readyAt].map(([step, ready]) => startedAt.get(step)! - ready)),
  };
}
