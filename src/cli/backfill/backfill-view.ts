import type { RunProgress } from '../progress/run-progress';
import type { BackfillItem } from './backfill-plan';
import type { BackfillOutcome } from './backfill-outcome';

/** Shows a backfill: every period, which are queued, running, done. */
export interface BackfillView {
  start(items: readonly BackfillItem[]): void;
  started(item: BackfillItem, progress: RunProgress): void;
  ended(outcome: BackfillOutcome): void;
  stop(): Promise<void>;
}

export const NO_BACKFILL_VIEW: BackfillView = {
  start: () => undefined,
  started: () => undefined,
  ended: () => undefined,
  stop: async () => undefined,
};
