import { medianBy } from './stats';

/**
 * Times ways of making the same read, alternating in this process (the order reversed every other
 * round), each checked to give `rows` rows, and prints each one's first call (a cold process's: its
 * code not yet compiled) and median against the first way's. A collection before each call when
 * the process runs with --expose-gc, so that none pays for the garbage of another.
 */
export async function compareReads(
  title: string,
  rows: number,
  rounds: number,
  ways: Record<string, () => Promise<readonly unknown[]>>,
): Promise<void> {
  const ms: Record<string, number[]> = {};
  const first: Record<string, number> = {};
  for (let round = -1; round < rounds; round++) {
    const order = round % 2 === 0 ? Object.entries(ways) : Object.entries(ways).reverse();
    for (const [name, read] of order) {
      global.gc?.();
      const started = performance.now();
      const got = await read();
      const took = performance.now() - started;
      if (got.length !== rows) throw new Error(`${name} read ${got.length} rows, not ${rows}`);
      if (round < 0) first[name] = took;
      else (ms[name] ??= []).push(took);
    }
  }
  const names = Object.keys(ways);
  const base = medianBy(ms[names[0]], (x) => x);
  const width = Math.max(...names.map((n) => n.length));
  console.log(`${title}, ${rounds} rounds, alternating`);
  for (const name of names) {
    const median = medianBy(ms[name], (x) => x);
    console.log(
      `  ${name.padEnd(width)} first call ${first[name].toFixed(1).padStart(6)} ms   then median ${median.toFixed(2).padStart(6)} ms   ${(median / base).toFixed(2)}x ${names[0]}`,
    );
  }
}
