import { InvalidArgumentError } from 'commander';

/** commander parser: a whole number >= 0, for `logs -n` (0: none of the lines there already, as `tail -n 0 -f`). */
export function parseLineCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`expected a whole number of 0 or more, e.g. 20 (0 with --follow: only new lines)`);
  }
  return n;
}
