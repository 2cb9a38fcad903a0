import type { FlowDecision, FlowView } from './flow-decision';

/**
 * Where a flow's next tick begins (after) its slice of the unfinished periods between the oldest and
 * newest it reads (see readUnfinished): past this tick's slice, so that ticks walk a long backlog
 * in timeperiod order without reading it all at once; but a period of the slice that waits for a
 * slot of maxActiveRuns (or for the flow to be resumed) is read again by the next tick, as are those
 * after it, so that none is passed over until the walk comes round again. undefined: from the start.
 */
export function nextSliceAfter(view: FlowView, decision: FlowDecision, current: string | undefined): string | undefined {
  const unread = view.unread;
  if (!unread) return undefined;
  // A paused flow starts nothing: its walk stays where it is.
  if (decision.waiting.some((entry) => entry.reason === 'paused')) return current;
  const between = (timeperiod: string) => timeperiod > unread.after && timeperiod < unread.before;
  const held = decision.waiting.find((entry) => entry.reason === 'max-active-runs' && between(entry.timeperiod));
  if (!held) return unread.next;
  const readBefore = view.unfinished.filter((row) => between(row.timeperiod) && row.timeperiod < held.timeperiod);
  return readBefore.length ? readBefore[readBefore.length - 1].timeperiod : current;
}
