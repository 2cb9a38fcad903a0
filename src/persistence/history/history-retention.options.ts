import { z } from 'zod';
import { wholeNumber } from '../../config/whole-number.schema';

/** How long run history is kept when bootstrap() is not told. */
export const DEFAULT_HISTORY_KEEP_DAYS = 90;

/** The `history` option of bootstrap(): how long the `flow_run` and `step_attempt` rows are kept. */
export const historyRetentionSchema = z.strictObject({
  /**
   * Days a finished run's history is kept after it ended (default 90); older runs are deleted in
   * the background. Runs still in progress are never deleted.
   */
  keepDays: wholeNumber(1, 36_500, ' of days').optional(),
});

/** What users write in `bootstrap({ history })`. */
export type HistoryRetentionOptions = z.input<typeof historyRetentionSchema>;
