import type { z } from 'zod';
import type { BootstrapOptions, bootstrapOptionsSchema } from './bootstrap-options';
import { certainClusterOptions } from './clusters/cluster-options.quick-check';
import { MAX_TIMER_MS } from './config/max-timer-ms';
import { parseOptions } from './config/parse-options';
import {
  hasMethod,
  isArray,
  isBoolean,
  isNonEmptyString,
  isObject,
  isStrictObject,
  isWholeNumber,
  type QuickCheck,
} from './config/quick-check';
import { certainDatabaseOptions } from './persistence/database-options.quick-check';

/** bootstrap()'s options once checked: `lease` has its defaults filled. */
export type CheckedBootstrapOptions = z.output<typeof bootstrapOptionsSchema>;

/**
 * The options an entry file usually passes, vouched for without zod (config/quick-check.ts):
 * `bootstrap({ flows })` then loads no schema, which keeps `--help` and `list` fast, and a program
 * that passes a plain SQLite or PostgreSQL `database` and local clusters does not carry zod's ~15 MiB.
 * `lease`, EMR clusters, database options beyond those the engine reads, and any option not listed
 * here, are always checked by the schema.
 */
export const certainBootstrapOptions: QuickCheck = isStrictObject(
  {
    flows: isArray,
    logDirectory: isNonEmptyString,
    settings: isObject,
    credentials: isObject,
    container: hasMethod('createChildContainer'),
    gracePeriodMs: isWholeNumber(0, MAX_TIMER_MS),
    handleSignals: isBoolean,
    tuneV8: isBoolean,
    lock: hasMethod('acquire'),
    database: certainDatabaseOptions,
    cluster: certainClusterOptions,
  },
  ['flows'],
);

/** Every option checked at once (one ConfigurationError listing every problem), the schema loaded only when needed. */
export function checkBootstrapOptions(options: BootstrapOptions): CheckedBootstrapOptions {
  // Nothing to fill in: `lease`, the one option with defaults, never passes the quick check.
  if (certainBootstrapOptions(options)) return { ...options } as CheckedBootstrapOptions;
  const { bootstrapOptionsSchema: schema } = require('./bootstrap-options') as typeof import('./bootstrap-options');
  return parseOptions(schema, options, 'bootstrap() options');
}
