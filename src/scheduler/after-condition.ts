import type { EntityManager } from 'typeorm';
import type { FlowDefinition } from '../metadata/flow-definition';
import type { ScheduleStore } from '../persistence/schedule/schedule-store';
import type { Granularity } from '../timeperiod/timeperiod';
import type { WaitReason } from './tick-report';
import { coveringPeriods, periodCount } from './covering-periods';
import { describeUnscheduled, unscheduledCover } from './unscheduled-upstream';
import type { HandCommands } from './hand-commands';

/** Why a period's `after` condition holds it: a tick's waiting entry, less the flow and period. */
export interface UnmetAfter {
  reason: Extract<WaitReason, 'after' | 'after-blocked'>;
  message: string;
}

/**
 * Whether the flows a period runs `after` have processed what covers it (Synergy's dependent
 * processes): a finer flow every one of its periods inside this one (a day: its 24 hours), one of
 * the same granularity the same period, a coarser one the period that holds it. Returns why it
 * waits, or undefined when nothing holds it: `after` while an upstream is behind, `after-blocked`
 * when it needs upstream periods before that upstream's schedule start, which no scheduler runs
 * (whichever upstream comes first). One counted index range per upstream flow, two for a blocking one.
 */
export async function unmetAfter(
  m: EntityManager,
  store: ScheduleStore,
  timeperiod: string,
  granularity: Granularity,
  upstreams: readonly FlowDefinition[],
  flow: string,
  hints: HandCommands,
): Promise<UnmetAfter | undefined> {
  // The first upstream that is behind, unless a later one blocks the period: waiting for ever is what to say then.
  let behind: UnmetAfter | undefined;
  for (const upstream of upstreams) {
    const theirs = upstream.schedule?.granularity ?? granularity;
    const { from, to } = coveringPeriods(timeperiod, granularity, theirs);
    const expected = periodCount(from, to, theirs);
    const done = await store.doneCount(m, upstream.name, from, to, theirs);
    if (done < expected) {
      // Waiting for periods no scheduler will run is waiting for ever: say so, and what to do.
      const unscheduled = unscheduledCover(timeperiod, granularity, upstream);
      if (unscheduled && (await store.doneCount(m, upstream.name, unscheduled.from, unscheduled.to, theirs)) < unscheduled.count)
        return { reason: 'after-blocked', message: describeUnscheduled(flow, unscheduled, hints) };
      behind ??= {
        reason: 'after',
        message:
          expected === 1
            ? `waits for ${upstream.name} to process ${from}`
            : `waits for ${upstream.name}: ${done} of ${expected} ${theirs} periods from ${from} to ${to} processed`,
      };
    }
  }
  return behind;
}
