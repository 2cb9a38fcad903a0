import { FlowState } from '../../domain/states';

/** When the backfill found the state it leaves a period in: in its plan, or read again (or under the run's lease) later. */
export type SkipFoundWhen = 'when the backfill began' | 'since the backfill began';

/**
 * The one wording of a skipped period's note, printed after `skipped:` on a terminal and as `reason`
 * in --json: what the period was found as and when, who left it so when that matters, then what to do:
 * `<state> <when>[, <who>]: <what to do>`. A period read once more at the end of the backfill says how
 * it ended before what to do (see endedNote). Users match on these words: change them here, all at once.
 */
export function skipNote(state: FlowState | null, when: SkipFoundWhen, who?: string): string {
  return `${situation(state, when, who)}: ${whatToDo(state)}`;
}

/** The note of a period another engine had, read again at the end of the backfill: how it ended replaces what was to be done. */
export function endedNote(note: string, found: FlowState | null, end: FlowState | null): string {
  const todo = `: ${whatToDo(found)}`;
  const before = note.endsWith(todo) ? note.slice(0, -todo.length) : note;
  return `${before}; ${end ?? 'its row deleted'} by the end of the backfill: ${whatToDo(end)}`;
}

/** A period whose state another engine changed twice while the backfill came to it: left, to be planned again by a new backfill. */
export function changedTwiceNote(state: FlowState | null): string {
  return `${situation(state, 'since the backfill began', 'changed twice by another engine while the backfill came to it')}: run the backfill again`;
}

function situation(state: FlowState | null, when: SkipFoundWhen, who: string | undefined): string {
  return `${state ?? 'never run'} ${when}${who ? `, ${who}` : ''}`;
}

function whatToDo(state: FlowState | null): string {
  switch (state) {
    case FlowState.PROCESSED:
    case FlowState.NOOP:
      return 'nothing to do';
    case FlowState.INVALID:
      return '--rerun-failed recovers it';
    case FlowState.IN_PROGRESS:
      return 'check with status, resume with recover';
    default:
      return 'run the backfill again';
  }
}
