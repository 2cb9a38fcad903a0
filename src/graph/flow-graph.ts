export interface FlowGraphNode {
  name: string;
  dependsOn: readonly string[];
}

/**
 * The validated DAG of one flow: a read-only view with the queries the engine, the CLI and the
 * viewer need. Built by the scanner once the definition has been validated (no cycles, no unknown
 * dependencies), so every query here can assume a DAG.
 */
export class FlowGraph {
  /** Step names in declaration order. */
  readonly steps: readonly string[];
  private readonly deps = new Map<string, readonly string[]>();
  private readonly dependents = new Map<string, string[]>();
  private order?: readonly string[];

  constructor(nodes: readonly FlowGraphNode[]) {
    this.steps = nodes.map((n) => n.name);
    for (const node of nodes) {
      this.deps.set(node.name, [...new Set(node.dependsOn)]);
      this.dependents.set(node.name, []);
    }
    for (const node of nodes) for (const dep of this.deps.get(node.name)!) this.dependents.get(dep)?.push(node.name);
  }

  /** Whether the flow has a step of that name. */
  has(step: string): boolean {
    return this.deps.has(step);
  }

  /** Direct dependencies: the steps that must be processed before `step` starts. */
  dependenciesOf(step: string): readonly string[] {
    return this.deps.get(step) ?? [];
  }

  /** Direct dependents: the steps that wait for `step`. */
  dependentsOf(step: string): readonly string[] {
    return this.dependents.get(step) ?? [];
  }

  /** Every step `step` transitively depends on. */
  ancestorsOf(step: string): string[] {
    return this.walk(step, (s) => this.dependenciesOf(s));
  }

  /** Every step that transitively depends on `step` (not `step` itself). */
  descendantsOf(step: string): string[] {
    return this.walk(step, (s) => this.dependentsOf(s));
  }

  /** Steps without dependencies. */
  roots(): string[] {
    return this.steps.filter((s) => this.dependenciesOf(s).length === 0);
  }

  /** Steps nothing depends on. */
  leaves(): string[] {
    return this.steps.filter((s) => this.dependentsOf(s).length === 0);
  }

  /** Kahn's algorithm; ties keep declaration order, so the order is stable. */
  topologicalOrder(): readonly string[] {
    if (this.order) return this.order;
    const remaining = new Map(this.steps.map((s) => [s, this.dependenciesOf(s).length]));
    const queue = this.steps.filter((s) => remaining.get(s) === 0);
    const order: string[] = [];
    for (let i = 0; i < queue.length; i++) {
      const step = queue[i];
      order.push(step);
      for (const dependent of this.dependentsOf(step)) {
        const left = remaining.get(dependent)! - 1;
        remaining.set(dependent, left);
        if (left === 0) queue.push(dependent);
      }
    }
    this.order = order;
    return order;
  }

  /** Graphviz DOT, with the seed viewer's start and finish nodes. */
  toDot(name = 'flow'): string {
    const q = (s: string) => JSON.stringify(s);
    const lines = [`digraph ${q(name)} {`, '  rankdir=LR;', '  "start" [shape=circle];', '  "finish" [shape=doublecircle];'];
    for (const step of this.steps) lines.push(`  ${q(step)} [shape=box];`);
    for (const root of this.roots()) lines.push(`  "start" -> ${q(root)};`);
    for (const step of this.steps) for (const dep of this.dependenciesOf(step)) lines.push(`  ${q(dep)} -> ${q(step)};`);
    for (const leaf of this.leaves()) lines.push(`  ${q(leaf)} -> "finish";`);
    lines.push('}');
    return lines.join('\n') + '\n';
  }

  /** Mermaid flowchart: one edge line per dependency, plus start/finish edges. */
  toMermaid(): string {
    const ids = new Map(this.steps.map((s, i) => [s, `s${i}`]));
    const label = (s: string) => `${ids.get(s)}["${s.replace(/"/g, '#quot;')}"]`;
    const lines = ['flowchart LR', '  start((start))', '  finish(((finish)))'];
    for (const step of this.steps) lines.push(`  ${label(step)}`);
    for (const root of this.roots()) lines.push(`  start --> ${ids.get(root)}`);
    for (const step of this.steps) for (const dep of this.dependenciesOf(step)) lines.push(`  ${ids.get(dep)} --> ${ids.get(step)}`);
    for (const leaf of this.leaves()) lines.push(`  ${ids.get(leaf)} --> finish`);
    return lines.join('\n') + '\n';
  }

  private walk(start: string, next: (s: string) => readonly string[]): string[] {
    const seen = new Set<string>();
    const stack = [...next(start)];
    while (stack.length) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...next(s));
    }
    // declaration order, so results are stable and readable
    return this.steps.filter((s) => seen.has(s));
  }
}
