import type { EntityManager } from 'typeorm';
import { FlowState } from '../domain/states';
import type { FlowDefinition } from '../metadata/flow-definition';
import type { ScheduleStore } from '../persistence/schedule/schedule-store';
import type { Granularity } from '../timeperiod/timeperiod';
import { dueAt, periodsFrom } from './due-periods';
import { retryDueAt } from './flow-decision';
import { interruptedLast } from './interrupted-run';
import { countFrom } from './period-mark';
import type { PlannedPeriod } from './scheduler-options';

/** The last period a timeperiod of each granularity can name. */
const LAST_PERIOD: Record<Granularity, string> = { hourly: '9999123123', daily: '9999123100', monthly: '9999120000', yearly: '9999000000' };

/**
 * A flow's next `limit` periods, oldest first: the unfinished ones (running, failed), then those
 * without a run, due or to come. The same indexed reads as a tick, from the flow's persisted mark.
 */
export async function planFlow(
  m: EntityManager,
  store: ScheduleStore,
  definition: FlowDefinition,
  now: Date,
  limit: number,
): Promise<PlannedPeriod[]> {
  const schedule = definition.schedule!;
  const flow = definition.name;
  // From the flow's mark when it can be trusted, as a tick counts: not through the flow's whole history.
  const { from } = countFrom((await store.marks(m, [flow])).get(flow), schedule);
  const fresh = await store.periodsWithoutRow(m, flow, from, LAST_PERIOD[schedule.granularity], schedule.granularity, limit);
  const unfinished = await store.unfinished(m, flow, schedule.start, schedule.granularity);
  const open = new Set((await store.openClaims(m, [flow])).map((claim) => claim.timeperiod));
  const claims = (
    await store.claimsOf(
      m,
      [flow],
      unfinished.map((row) => row.timeperiod),
    )
  ).filter((claim) => claim.flowName === flow);
  const planned: PlannedPeriod[] = unfinished.map((row) => {
    if (row.state !== FlowState.INVALID || open.has(row.timeperiod))
      return { timeperiod: row.timeperiod, status: 'running', dueAt: dueAt(row.timeperiod, schedule) };
    const mine = claims.filter((c) => c.timeperiod === row.timeperiod);
    // Cut short by its scheduler's stop: the next tick resumes it, as a due period.
    if (interruptedLast(mine)) return { timeperiod: row.timeperiod, status: 'due', dueAt: dueAt(row.timeperiod, schedule) };
    const left = schedule.onFailure !== 'continue' && mine.filter((c) => c.kind === 'retry').length < schedule.retries;
    return left
      ? { timeperiod: row.timeperiod, status: 'retry', dueAt: new Date(retryDueAt(mine, row, schedule)) }
      : { timeperiod: row.timeperiod, status: 'failed', dueAt: dueAt(row.timeperiod, schedule) };
  });
  for (const timeperiod of fresh) {
    const due = dueAt(timeperiod, schedule);
    planned.push({ timeperiod, status: open.has(timeperiod) ? 'running' : due <= now ? 'due' : 'scheduled', dueAt: due });
  }
  return planned.sort((a, b) => a.timeperiod.localeCompare(b.timeperiod)).slice(0, limit);
}

/** The plan of a flow that never ran (its database does not exist yet): its first `limit` periods. */
export function planUnrun(definition: FlowDefinition, now: Date, limit: number): PlannedPeriod[] {
  const schedule = definition.schedule!;
  return periodsFrom(schedule.start, limit, schedule).map((timeperiod) => {
    const due = dueAt(timeperiod, schedule);
    return { timeperiod, status: due <= now ? 'due' : 'scheduled', dueAt: due };
  });
}
