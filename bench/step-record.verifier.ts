/**
 * What every engine of the comparison leaves behind for one step of a run, read back from its own
 * persistence after the run (synergy-flow's step rows, graphile-worker's results table, BullMQ's
 * completed jobs): the verifier judges them all by the same rules.
 */
export interface StepRecord {
  step: string;
  /** Epoch ms at which the step's work started. */
  startedAt: number;
  /** Epoch ms at which the step's work had finished. */
  finishedAt: number;
  /** How many times the step's work ran (1 unless the engine ran it again). */
  runs: number;
}

/** The graph a run was given: its steps and its [dependency, dependent] edges. */
export interface RunGraph {
  stepNames: readonly string[];
  edges: ReadonlyArray<readonly [string, string]>;
}

/**
 * Every way the records break the run's contract: a step missing, recorded twice or run more than
 * once, a step nobody asked for, a dependent that started before one of its dependencies finished.
 * Empty: each step ran exactly once, in dependency order, and its record was persisted. Figures of
 * a run whose records break it are not comparable, so the benchmark prints them and fails its target.
 */
export function verifyStepRecords(graph: RunGraph, records: readonly StepRecord[]): string[] {
  const problems: string[] = [];
  const byStep = new Map<string, StepRecord>();
  const expected = new Set(graph.stepNames);
  for (const record of records) {
    if (!expected.has(record.step)) problems.push(`step ${record.step} is not in the flow`);
    else if (byStep.has(record.step))
      problems.push(`step ${record.step} has ${records.filter((r) => r.step === record.step).length} records`);
    else if (record.runs !== 1) problems.push(`step ${record.step} ran ${record.runs} times`);
    if (!byStep.has(record.step)) byStep.set(record.step, record);
  }
  const missing = graph.stepNames.filter((step) => !byStep.has(step));
  if (missing.length)
    problems.push(
      `${missing.length} of ${graph.stepNames.length} steps have no record (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''})`,
    );
  for (const [dependency, dependent] of graph.edges) {
    const before = byStep.get(dependency);
    const after = byStep.get(dependent);
    if (before && after && after.startedAt < before.finishedAt) {
      problems.push(
        `step ${dependent} started ${(before.finishedAt - after.startedAt).toFixed(1)} ms before its dependency ${dependency} finished`,
      );
    }
  }
  // One line per kind of problem is enough to see what went wrong; thousands would drown the report.
  return problems.length > 10 ? [...problems.slice(0, 10), `... and ${problems.length - 10} more`] : [...new Set(problems)];
}

/** For every step with dependencies: when it started minus when the last of its dependencies finished. */
export function hopsFromRecords(graph: RunGraph, records: readonly StepRecord[]): number[] {
  const byStep = new Map(records.map((r) => [r.step, r]));
  const readyAt = new Map<string, number>();
  for (const [dependency, dependent] of graph.edges) {
    const finished = byStep.get(dependency)?.finishedAt;
    if (finished !== undefined) readyAt.set(dependent, Math.max(readyAt.get(dependent) ?? -Infinity, finished));
  }
  const hops: number[] = [];
  for (const [step, ready] of readyAt) {
    const started = byStep.get(step)?.startedAt;
    if (started !== undefined) hops.push(started - ready);
  }
  return hops;
}

/** [dependency, dependent] edges as each step's dependents, and each step's count of dependencies. */
export function dependentsOf(graph: RunGraph): { dependents: Map<string, string[]>; dependencyCount: Map<string, number> } {
  const dependents = new Map<string, string[]>();
  const dependencyCount = new Map<string, number>();
  for (const [dependency, dependent] of graph.edges) {
    dependents.set(dependency, [...(dependents.get(dependency) ?? []), dependent]);
    dependencyCount.set(dependent, (dependencyCount.get(dependent) ?? 0) + 1);
  }
  return { dependents, dependencyCount };
}
