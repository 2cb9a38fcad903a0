import { InvalidArgumentError } from 'commander';

/** commander parser: a whole number >= 1 (cluster counts, parallelism, line counts). */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a whole number of 1 or more, e.g. 2`);
  }
  return n;
}
