import { isBoolean, isOneOf, isStrictObject, isWholeNumber, type QuickCheck } from '../config/quick-check';
import { RUN_TRIGGERS } from '../domain/run-id';
import { timeperiodError } from '../timeperiod/timeperiod';
import { MAX_RUN_CLUSTERS } from './max-run-clusters';
import type { RunOptions } from './run-options';

/** A valid `YYYYMMDDHH` (the ten digits tested first: most values that fail fail there, without an error built). */
const isTimeperiod: QuickCheck = (value) => typeof value === 'string' && /^\d{10}$/.test(value) && timeperiodError(value) === undefined;

const isAbortSignal: QuickCheck = (value) => value instanceof AbortSignal;

const certainShape = isStrictObject(
  {
    timeperiod: isTimeperiod,
    startTimeperiod: isTimeperiod,
    endTimeperiod: isTimeperiod,
    clusters: isWholeNumber(1, MAX_RUN_CLUSTERS),
    failFast: isBoolean,
    signal: isAbortSignal,
    trigger: isOneOf(...RUN_TRIGGERS),
  },
  ['timeperiod'],
);

/**
 * Run options vouched for without zod (config/quick-check.ts): every run of the CLI and of a
 * service passes `{ timeperiod }` and a few more, and loading the schema (zod) cost a cold
 * `synergy-flow run` more than anything else in the run options' path.
 */
export const certainRunOptions: QuickCheck = (value) => {
  if (!certainShape(value)) return false;
  const { startTimeperiod, endTimeperiod } = value as RunOptions;
  return startTimeperiod === undefined || endTimeperiod === undefined || startTimeperiod <= endTimeperiod;
};

/**
 * The run options checked before anything is locked or written: as the schema checks them
 * (run-options.schema.ts, one ConfigurationError listing every problem), which is loaded only
 * for options the quick check cannot vouch for.
 */
export function checkRunOptions(options: RunOptions): RunOptions {
  if (certainRunOptions(options)) return options;
  const { parseRunOptions } = require('./run-options.schema') as typeof import('./run-options.schema');
  return parseRunOptions(options);
}
