import { InvalidArgumentError } from 'commander';
import { assertTimeperiod } from '../../timeperiod/timeperiod';

/** commander parser: a Synergy timeperiod, or commander's "argument is invalid" with our reason. */
export function parseTimeperiodOption(value: string): string {
  try {
    return assertTimeperiod(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}
