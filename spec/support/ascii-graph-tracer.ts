/**
 * Reads the dependencies back out of a drawing made by renderAsciiGraph, the way a person's eye
 * does: from below each label, follow `|` down, branch along the horizontal at `+`, hop over
 * crossings, and land on the label under each `v`. Throws on a broken line or on ink that belongs
 * to no line, so a drawing that merely looks plausible does not pass.
 */
export interface TracedGraph {
  /** `from->to`, one per line drawn. */
  edges: string[];
  /** Row of each step's label, top to bottom. */
  rows: Map<string, number>;
}

interface Label {
  name: string;
  row: number;
  from: number;
  to: number;
}

export function traceAsciiGraph(text: string, steps: readonly string[]): TracedGraph {
  const lines = text.split('\n');
  const labels: Label[] = [];
  lines.forEach((line, row) => {
    for (const m of line.matchAll(/\[ *([A-Za-z0-9_.-]+) *\]/g)) {
      if (steps.includes(m[1])) labels.push({ name: m[1], row, from: m.index, to: m.index + m[0].length - 1 });
    }
  });
  for (const step of steps) {
    const count = labels.filter((l) => l.name === step).length;
    if (count !== 1) throw new Error(`step ${step} is drawn ${count} times`);
  }
  const at = (r: number, c: number) => lines[r]?.[c] ?? ' ';
  const labelAt = (r: number, c: number) => labels.find((l) => l.row === r && l.from <= c && c <= l.to);
  const visited = new Set<string>();
  const edges: string[] = [];

  for (const source of labels) {
    const below = source.row + 1;
    const ports = [];
    for (let c = source.from; c <= source.to; c++) if (at(below, c) === '|') ports.push(c);
    if (ports.length > 1) throw new Error(`${source.name} has ${ports.length} lines leaving it`);
    if (!ports.length) continue;
    const seen = new Set<string>();
    const stack: Array<[number, number, 'down' | 'left' | 'right']> = [[below, ports[0], 'down']];
    while (stack.length) {
      const [r, c, dir] = stack.pop()!;
      const key = `${r},${c},${dir}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const ch = at(r, c);
      if (ch !== ' ') visited.add(`${r},${c}`);
      if (dir === 'down') {
        if (ch === '|') stack.push([r + 1, c, 'down']);
        else if (ch === '+') {
          stack.push([r, c - 1, 'left'], [r, c + 1, 'right']);
          if ('|v'.includes(at(r + 1, c))) stack.push([r + 1, c, 'down']);
        } else if (ch === 'v') {
          const target = labelAt(r + 1, c);
          if (target) edges.push(`${source.name}->${target.name}`);
          else if (at(r + 1, c) === '|') stack.push([r + 1, c, 'down']);
          else throw new Error(`an arrow at line ${r + 1}, column ${c + 1} points at nothing`);
        } else throw new Error(`a line from ${source.name} breaks at line ${r + 1}, column ${c + 1} ('${ch}')`);
      } else {
        const step = dir === 'left' ? -1 : 1;
        let after = c;
        while (at(r, after) === '|') after += step;
        // A `|` is a crossing only when the horizontal goes on past it; otherwise the line ended.
        if (ch === '-' || (ch === '|' && '-+'.includes(at(r, after)))) stack.push([r, c + step, dir]);
        else if (ch === '+') {
          stack.push([r, c + step, dir]);
          if ('|v'.includes(at(r + 1, c))) stack.push([r + 1, c, 'down']);
        } else if (at(r, c - step) !== '+')
          throw new Error(`a horizontal from ${source.name} ends without a turn at line ${r + 1}, column ${c}`);
      }
    }
  }

  lines.forEach((line, r) => {
    for (let c = 0; c < line.length; c++) {
      if ('|+-v'.includes(line[c]) && !labelAt(r, c) && !visited.has(`${r},${c}`)) {
        throw new Error(`stray '${line[c]}' at line ${r + 1}, column ${c + 1}: it belongs to no line`);
      }
    }
  });
  return { edges, rows: new Map(labels.map((l) => [l.name, l.row])) };
}
