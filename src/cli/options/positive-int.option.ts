import { InvalidArgumentError } from 'commander';

/** commander parser: a whole number >= 1 (line counts, where any size is harmless). */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a whole number of 1 or more, e.g. 2`);
  }
  return n;
}

/**
 * commander parser: a whole number from 1 to `max`, for counts that cost memory or processes each
 * (clusters, periods in parallel): refused here, before the flow's rows are written, not when the
 * engine runs out of memory halfway through.
 */
export function positiveIntUpTo(max: number): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!(n >= 1 && n <= max)) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}, e.g. 2`);
    return n;
  };
}
