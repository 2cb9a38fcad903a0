/**
 * Returns one cycle as a path that starts and ends on the same node (`['a', 'b', 'a']`), or null.
 * Iterative DFS, so a 10,000-step chain does not overflow the stack.
 */
export function findCycle(nodes: readonly string[], dependenciesOf: (node: string) => readonly string[]): string[] | null {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const color = new Map<string, number>(nodes.map((n) => [n, WHITE]));
  for (const root of nodes) {
    if (color.get(root) !== WHITE) continue;
    const path: string[] = [root];
    const iterators: Iterator<string>[] = [dependenciesOf(root)[Symbol.iterator]()];
    color.set(root, GREY);
    while (path.length) {
      const next = iterators[iterators.length - 1].next();
      if (next.done) {
        color.set(path.pop()!, BLACK);
        iterators.pop();
        continue;
      }
      const dep = next.value;
      const c = color.get(dep);
      if (c === GREY) {
        // path holds dependents first; print in "runs before" order: dep -> ... -> dep
        const cycle = path.slice(path.indexOf(dep));
        return [...cycle, dep].reverse();
      }
      if (c === WHITE) {
        color.set(dep, GREY);
        path.push(dep);
        iterators.push(dependenciesOf(dep)[Symbol.iterator]());
      }
    }
  }
  return null;
}
