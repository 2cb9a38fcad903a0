import type { FlowState } from '../../domain/states';
import type { BackfillItem } from './backfill-plan';

/** A period after the backfill: what was done and how it ended. */
export interface BackfillOutcome extends BackfillItem {
  /** The run's state afterwards (its state before, for a skipped period). */
  state: FlowState | null;
  /** The id of the run this period got; absent for a skipped period or one whose run could not start. */
  runId?: string;
  /** Why it is not processed: the run's or the first failed step's error, or what was thrown. */
  error?: string;
  durationMs?: number;
}
