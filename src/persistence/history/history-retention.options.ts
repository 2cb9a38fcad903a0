import { z } from 'zod';
import { wholeNumber } from '../../config/whole-number.schema';

// The default and the type live in history-retention.defaults.ts: the engine reads them at every start,
// this schema (zod) is loaded only when bootstrap's options need checking by it.
export { DEFAULT_HISTORY_KEEP_DAYS, type HistoryRetentionOptions } from './history-retention.defaults';

/** The `history` option of bootstrap(): how long the `flow_run` and `step_attempt` rows are kept. */
export const historyRetentionSchema = z.strictObject({
  /** Days a finished run's history is kept after it ended (default 90); older runs are deleted in the background. */
  keepDays: wholeNumber(1, 36_500, ' of days').optional(),
});
