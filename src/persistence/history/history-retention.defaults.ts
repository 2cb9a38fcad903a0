/** How long run history is kept when bootstrap() is not told. */
export const DEFAULT_HISTORY_KEEP_DAYS = 90;

/** What users write in `bootstrap({ history })`; checked by historyRetentionSchema. */
export interface HistoryRetentionOptions {
  /**
   * Days a finished run's history is kept after it ended (default 90); older runs are deleted in
   * the background. Runs still in progress are never deleted.
   */
  keepDays?: number;
}
