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
  return wholeNumberBetween(1, max);
}

/** commander parser: a whole number from `min` to `max`, with the same bounds as the option's API counterpart. */
export function wholeNumberBetween(min: number, max: number, unit = ''): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!(n >= min && n <= max))
      throw new InvalidArgumentError(`expected a whole number${unit} from ${min} to ${max}, e.g. ${Math.max(min, 2)}`);
    return n;
  };
}
