import type { EntityManager } from 'typeorm';
import type { FlowDefinition } from '../metadata/flow-definition';
import type { ScheduleStore } from '../persistence/schedule/schedule-store';
import { timeperiodOrdinal, type Granularity } from '../timeperiod/timeperiod';
import { timeperiodAt, timeperiodEnd, timeperiodStart } from '../timeperiod/timeperiod-time';

const ORDER: Granularity[] = ['hourly', 'daily', 'monthly', 'yearly'];

/**
 * Whether the flows a period runs `after` have processed what covers it (Synergy's dependent
 * processes): a finer flow every one of its periods inside this one (a day: its 24 hours), one of
 * the same granularity the same period, a coarser one the period that holds it. Returns why it
 * waits, or undefined when nothing holds it. One counted index range per upstream flow.
 */
export async function unmetAfter(
  m: EntityManager,
  store: ScheduleStore,
  timeperiod: string,
  granularity: Granularity,
  upstreams: readonly FlowDefinition[],
): Promise<string | undefined> {
  for (const upstream of upstreams) {
    const theirs = upstream.schedule?.granularity ?? granularity;
    const [from, to] =
      ORDER.indexOf(theirs) <= ORDER.indexOf(granularity)
        ? [
            timeperiodAt(timeperiodStart(timeperiod), theirs),
            timeperiodAt(new Date(timeperiodEnd(timeperiod, granularity).getTime() - 1), theirs),
          ]
        : [timeperiodAt(timeperiodStart(timeperiod), theirs), timeperiodAt(timeperiodStart(timeperiod), theirs)];
    const expected = timeperiodOrdinal(to, theirs) - timeperiodOrdinal(from, theirs) + 1;
    const done = await store.doneCount(m, upstream.name, from, to, theirs);
    if (done < expected) {
      return expected === 1
        ? `waits for ${upstream.name} to process ${from}`
        : `waits for ${upstream.name}: ${done} of ${expected} ${theirs} periods from ${from} to ${to} processed`;
    }
  }
  return undefined;
}
