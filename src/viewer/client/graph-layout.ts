import type * as Dagre from '@dagrejs/dagre';

/** dagre's browser build, loaded by its own script tag before this module. */
declare const dagre: typeof Dagre;

export interface Point {
  x: number;
  y: number;
}

/** Where each node's centre is and which points each edge goes through, in a width x height drawing. */
export interface GraphLayout {
  width: number;
  height: number;
  nodes: Map<string, Point & { width: number; height: number }>;
  edges: Array<{ from: string; to: string; points: Point[] }>;
}

export interface LayoutInput {
  nodes: string[];
  edges: Array<{ from: string; to: string }>;
  size: (name: string) => { width: number; height: number };
}

const NODE_SEP = 26;
const RANK_SEP = 56;
const MARGIN = 24;
/**
 * dagre's crossing reduction grows much faster than the graph: fine for the flows people draw by
 * hand, tens of seconds for thousands of steps. Beyond this many nodes the page lays the graph out
 * in ranks itself, in linear time, with fewer avoided crossings.
 */
export const DAGRE_MAX_NODES = 200;

/** Left to right, dependencies before dependents. */
export function layoutGraph(input: LayoutInput): GraphLayout {
  return input.nodes.length <= DAGRE_MAX_NODES ? dagreLayout(input) : rankedLayout(input);
}

function dagreLayout({ nodes, edges, size }: LayoutInput): GraphLayout {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: NODE_SEP, ranksep: RANK_SEP, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const name of nodes) g.setNode(name, size(name));
  for (const { from, to } of edges) g.setEdge(from, to);
  dagre.layout(g);
  const graph = g.graph() as { width?: number; height?: number };
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes: new Map(nodes.map((name) => [name, g.node(name) as Point & { width: number; height: number }])),
    edges: g.edges().map((e) => ({ from: e.v, to: e.w, points: (g.edge(e) as { points?: Point[] }).points ?? [] })),
  };
}

/**
 * Each node in the rank of its longest path from the roots, ordered within the rank by the mean
 * position of its dependencies (one sweep), edges drawn straight from the right side of one node
 * to the left side of the other.
 */
function rankedLayout({ nodes, edges, size }: LayoutInput): GraphLayout {
  const incoming = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const { from, to } of edges) incoming.get(to)?.push(from);
  const rankOf = new Map<string, number>();
  const position = new Map<string, number>();
  const ranks: string[][] = [];
  for (const name of topologicalOrder(nodes, edges)) {
    const rank = Math.max(-1, ...incoming.get(name)!.map((dep) => rankOf.get(dep) ?? -1)) + 1;
    rankOf.set(name, rank);
    (ranks[rank] ??= []).push(name);
  }
  for (const rank of ranks) {
    const key = (name: string) => {
      const deps = incoming.get(name)!;
      return deps.length ? deps.reduce((sum, dep) => sum + position.get(dep)!, 0) / deps.length : 0;
    };
    rank.sort((a, b) => key(a) - key(b));
    rank.forEach((name, index) => position.set(name, index));
  }
  const columnWidth = ranks.map((rank) => Math.max(...rank.map((name) => size(name).width)));
  const columnHeight = ranks.map((rank) => rank.reduce((sum, name) => sum + size(name).height + NODE_SEP, -NODE_SEP));
  const height = Math.max(...columnHeight) + 2 * MARGIN;
  const placed = new Map<string, Point & { width: number; height: number }>();
  let x = MARGIN;
  ranks.forEach((rank, r) => {
    let y = MARGIN + (height - 2 * MARGIN - columnHeight[r]) / 2;
    for (const name of rank) {
      const box = size(name);
      placed.set(name, { x: x + columnWidth[r] / 2, y: y + box.height / 2, ...box });
      y += box.height + NODE_SEP;
    }
    x += columnWidth[r] + RANK_SEP;
  });
  return {
    width: Math.ceil(x - RANK_SEP + MARGIN),
    height: Math.ceil(height),
    nodes: placed,
    edges: edges.map(({ from, to }) => {
      const a = placed.get(from)!;
      const b = placed.get(to)!;
      return {
        from,
        to,
        points: [
          { x: a.x + a.width / 2, y: a.y },
          { x: b.x - b.width / 2, y: b.y },
        ],
      };
    }),
  };
}

/** Kahn's order: each node after every node it depends on (the graph is acyclic, the scanner saw to it). */
function topologicalOrder(nodes: readonly string[], edges: ReadonlyArray<{ from: string; to: string }>): string[] {
  const pending = new Map(nodes.map((n) => [n, 0]));
  const next = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const { from, to } of edges) {
    pending.set(to, (pending.get(to) ?? 0) + 1);
    next.get(from)?.push(to);
  }
  const order = nodes.filter((n) => pending.get(n) === 0);
  for (let i = 0; i < order.length; i++) {
    for (const to of next.get(order[i]) ?? []) {
      const left = pending.get(to)! - 1;
      pending.set(to, left);
      if (left === 0) order.push(to);
    }
  }
  return order;
}
