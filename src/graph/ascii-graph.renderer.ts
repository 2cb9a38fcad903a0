import { layoutGraph, type LayoutNode } from './ascii-graph.layout';
import type { FlowGraph } from './flow-graph';

/**
 * Draws a flow top-down in plain ASCII, readable in any terminal or cron mail:
 *
 *     [extract]
 *         |
 *         v
 *      [clean]
 *         |
 *      +--+----+
 *      v       v
 *    [sum]  [count]
 *
 * A line leaves a step below its label, meets its own horizontal at a `+`, and every `+` on that
 * horizontal drops into one dependent (`v`). A line crossing another is drawn `|` over the `-`:
 * it hops, it does not join. A `|` in a step row carries a dependency past that layer.
 */
export function renderAsciiGraph(graph: FlowGraph, title?: string): string {
  const { layers } = layoutGraph(graph);
  const lines: string[] = [];
  if (title !== undefined) {
    const edges = graph.steps.reduce((n, s) => n + graph.dependenciesOf(s).length, 0);
    lines.push(`${title}: ${plural(graph.steps.length, 'step')}, ${plural(edges, 'dependency', 'dependencies')}`, '');
  }
  layers.forEach((layer, l) => {
    lines.push(layerRow(layer));
    if (l + 1 < layers.length) lines.push(...band(layer));
  });
  return lines.map((line) => line.trimEnd()).join('\n') + '\n';
}

function layerRow(layer: readonly LayoutNode[]): string {
  const row = new Grid(1);
  for (const node of layer) row.write(0, node.x, node.label);
  return row.lines()[0];
}

interface Group {
  source: number;
  targets: number[];
  from: number;
  to: number;
  row?: number;
}

/** The rows between a layer and the next: stubs, one horizontal per source (packed), arrows. */
function band(layer: readonly LayoutNode[]): string[] {
  const groups: Group[] = layer
    .filter((n) => n.succs.length > 0)
    .map((n) => {
      const targets = n.succs.map((s) => s.inCols.get(n)!);
      return { source: n.outCol, targets, from: Math.min(n.outCol, ...targets), to: Math.max(n.outCol, ...targets) };
    });
  // Interval packing: two horizontals share a row only with a blank column between them (no
  // line passes there), else `+|+` would read as one line hopping a crossing.
  const ports = new Set(groups.flatMap((g) => [g.source, ...g.targets]));
  const blankBetween = (end: number, start: number) => {
    for (let c = end + 1; c < start; c++) if (!ports.has(c)) return true;
    return false;
  };
  const rowEnds: number[] = [];
  for (const g of [...groups].filter((g) => g.from < g.to).sort((a, b) => a.from - b.from)) {
    let row = rowEnds.findIndex((end) => blankBetween(end, g.from));
    if (row < 0) row = rowEnds.push(0) - 1;
    rowEnds[row] = g.to;
    g.row = row + 1;
  }
  const height = rowEnds.length + 2;
  const grid = new Grid(height);
  for (const g of groups) if (g.row !== undefined) grid.write(g.row, g.from, '-'.repeat(g.to - g.from + 1));
  for (const g of groups) {
    const turn = g.row ?? height - 1;
    for (let r = 0; r < turn; r++) grid.set(r, g.source, '|');
    if (g.row !== undefined) grid.set(g.row, g.source, '+');
    for (const t of g.targets) {
      if (g.row !== undefined) grid.set(g.row, t, '+');
      for (let r = (g.row ?? 0) + 1; r < height - 1; r++) grid.set(r, t, '|');
      grid.set(height - 1, t, 'v');
    }
  }
  return grid.lines();
}

class Grid {
  private readonly rows: string[][];

  constructor(height: number) {
    this.rows = Array.from({ length: height }, () => []);
  }

  set(row: number, col: number, char: string): void {
    const cells = this.rows[row];
    while (cells.length <= col) cells.push(' ');
    cells[col] = char;
  }

  write(row: number, col: number, text: string): void {
    for (let i = 0; i < text.length; i++) this.set(row, col + i, text[i]);
  }

  lines(): string[] {
    return this.rows.map((cells) => cells.join(''));
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
