import { FlowState } from '../../domain/states';
import { skipNote, type SkipFoundWhen } from './skip-note';

export type BackfillAction = 'run' | 'recover' | 'skip';

export interface BackfillItem {
  timeperiod: string;
  /** The run's persisted state before the backfill; null if it never ran. */
  before: FlowState | null;
  action: BackfillAction;
  /** Why a period is skipped and what to do (skip-note.ts words it). */
  reason?: string;
}

/**
 * Decides each period's fate: never run -> run; processed (or noop) -> skip; invalid -> recover
 * with `rerunFailed`, else skip; embryo (some steps ran alone, with run-one, the rest never did) ->
 * recover, which keeps what was processed and runs the rest; in_progress -> skip (another engine may
 * be running it, or it was interrupted: `status` tells, `recover` resumes it). `when` says in the notes
 * whether the states are the ones the backfill began with or ones read since.
 */
export function planBackfill(
  timeperiods: readonly string[],
  persisted: ReadonlyMap<string, FlowState>,
  rerunFailed: boolean,
  when: SkipFoundWhen = 'when the backfill began',
): BackfillItem[] {
  return timeperiods.map((timeperiod) => {
    const before = persisted.get(timeperiod) ?? null;
    switch (before) {
      case null:
        return { timeperiod, before, action: 'run' };
      case FlowState.PROCESSED:
      case FlowState.NOOP:
        return { timeperiod, before, action: 'skip', reason: skipNote(before, when) };
      case FlowState.EMBRYO:
        return { timeperiod, before, action: 'recover' };
      case FlowState.INVALID:
        return rerunFailed
          ? { timeperiod, before, action: 'recover' }
          : { timeperiod, before, action: 'skip', reason: skipNote(before, when) };
      default:
        return {
          timeperiod,
          before,
          action: 'skip',
          reason: skipNote(before, when, 'another engine may be running it'),
        };
    }
  });
}
