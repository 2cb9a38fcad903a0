import type { FlowGraph } from './flow-graph';

/** One box of a layer: a step's label, or a one-column pass-through of a dependency that skips layers. */
export interface LayoutNode {
  kind: 'step' | 'through';
  /** The step's name; for a pass-through, the dependency it carries as `from->to`. */
  name: string;
  label: string;
  layer: number;
  x: number;
  width: number;
  /** Where the lines to its dependents leave (the row below it). */
  outCol: number;
  /** Where each line from a dependency arrives, by the dependency's node. */
  inCols: Map<LayoutNode, number>;
  preds: LayoutNode[];
  succs: LayoutNode[];
}

export interface AsciiLayout {
  layers: LayoutNode[][];
}

const GAP = 2;

/**
 * Lays a DAG out top-down, in the Sugiyama manner: longest-path layers, a pass-through node on
 * every layer a dependency skips, barycentre ordering. The port columns obey one rule that makes
 * the drawing unambiguous: between two layers, no column is both where a line leaves the upper
 * layer and where a different line arrives in the lower one.
 */
export function layoutGraph(graph: FlowGraph): AsciiLayout {
  const nodes = new Map<string, LayoutNode>();
  const layers: LayoutNode[][] = [];
  const add = (node: LayoutNode) => {
    (layers[node.layer] ??= []).push(node);
    return node;
  };
  for (const step of graph.topologicalOrder()) {
    const deps = graph.dependenciesOf(step).map((d) => nodes.get(d)!);
    const layer = deps.length ? Math.max(...deps.map((d) => d.layer)) + 1 : 0;
    const node = add(newNode('step', step, `[${step}]`, layer));
    nodes.set(step, node);
    for (const dep of deps) {
      let from = dep;
      for (let l = dep.layer + 1; l < layer; l++) {
        const through = add(newNode('through', `${dep.name}->${step}`, '|', l));
        link(from, through);
        from = through;
      }
      link(from, node);
    }
  }
  const declared = new Map(graph.steps.map((s, i) => [s, i]));
  orderLayers(layers, declared);
  for (const layer of layers) placeLayer(layer);
  return { layers };
}

function newNode(kind: LayoutNode['kind'], name: string, label: string, layer: number): LayoutNode {
  return { kind, name, label, layer, x: 0, width: label.length, outCol: 0, inCols: new Map(), preds: [], succs: [] };
}

function link(from: LayoutNode, to: LayoutNode): void {
  from.succs.push(to);
  to.preds.push(from);
}

/** Barycentre ordering, top-down; ties keep declaration order so the picture is stable. */
function orderLayers(layers: LayoutNode[][], declared: ReadonlyMap<string, number>): void {
  const rank = (n: LayoutNode) => declared.get(n.kind === 'step' ? n.name : n.name.split('->')[1]) ?? 0;
  layers[0]?.sort((a, b) => rank(a) - rank(b));
  for (let l = 1; l < layers.length; l++) {
    const position = new Map(layers[l - 1].map((n, i) => [n, i]));
    const centre = (n: LayoutNode) => n.preds.reduce((sum, p) => sum + position.get(p)!, 0) / n.preds.length;
    layers[l].sort((a, b) => centre(a) - centre(b) || rank(a) - rank(b));
  }
}

/** Places one layer left to right under its dependencies, once the layer above is placed. */
function placeLayer(layer: LayoutNode[]): void {
  // The columns where lines leave the layer above: no other line may arrive on them.
  const leaving = new Set(layer.flatMap((n) => n.preds.map((p) => p.outCol)));
  let cursor = 0;
  for (const node of layer) {
    if (node.kind === 'through') placeThrough(node, cursor, leaving);
    else placeStep(node, cursor, leaving);
    cursor = node.x + node.width + GAP;
  }
}

function placeThrough(node: LayoutNode, cursor: number, leaving: ReadonlySet<number>): void {
  const from = node.preds[0].outCol;
  let col = Math.max(cursor, from);
  while (col !== from && leaving.has(col)) col++;
  node.x = col;
  node.outCol = col;
  node.inCols.set(node.preds[0], col);
}

function placeStep(node: LayoutNode, cursor: number, leaving: ReadonlySet<number>): void {
  const preds = [...node.preds].sort((a, b) => a.outCol - b.outCol);
  for (let pad = 0; ; pad++) {
    node.label = `[${' '.repeat(pad)}${node.name}${' '.repeat(pad)}]`;
    node.width = node.label.length;
    const centre = preds.length ? preds.reduce((sum, p) => sum + p.outCol, 0) / preds.length : cursor;
    node.x = Math.max(cursor, Math.round(centre - node.width / 2));
    node.outCol = node.x + Math.floor(node.width / 2);
    const ports = assignPorts(preds, node.x + 1, node.x + node.width - 2, leaving);
    if (ports) {
      preds.forEach((p, i) => node.inCols.set(p, ports[i]));
      return;
    }
  }
}

/**
 * Gives every incoming line its own column inside the label, left to right in the order of the
 * columns they leave from, each as close as it can to straight below its source. Null when the
 * label is too narrow (the caller pads it).
 */
function assignPorts(preds: readonly LayoutNode[], first: number, last: number, leaving: ReadonlySet<number>): number[] | null {
  const ports: number[] = [];
  let lo = first;
  for (let i = 0; i < preds.length; i++) {
    const source = preds[i].outCol;
    const usable = (c: number) => c === source || !leaving.has(c);
    const candidates: number[] = [];
    for (let c = lo; c <= last; c++) if (usable(c)) candidates.push(c);
    // Leave room for the ports still to place (a column usable by none of them is no room).
    const remaining = preds.length - 1 - i;
    const fits = (c: number) => countFree(c + 1, last, leaving, preds.slice(i + 1)) >= remaining;
    const choice = candidates.filter(fits).sort((a, b) => Math.abs(a - source) - Math.abs(b - source) || a - b)[0];
    if (choice === undefined) return null;
    ports.push(choice);
    lo = choice + 1;
  }
  return ports;
}

function countFree(from: number, to: number, leaving: ReadonlySet<number>, preds: readonly LayoutNode[]): number {
  const sources = new Set(preds.map((p) => p.outCol));
  let free = 0;
  for (let c = from; c <= to; c++) if (!leaving.has(c) || sources.has(c)) free++;
  return free;
}
