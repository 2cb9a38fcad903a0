import type { EntityManager } from 'typeorm';
import { FlowState } from '../domain/states';
import type { FlowDefinition } from '../metadata/flow-definition';
import type { ScheduleStore } from '../persistence/schedule/schedule-store';
import type { Granularity } from '../timeperiod/timeperiod';
import { dueAt, periodsFrom } from './due-periods';
import { heldMessage, retryDueAt } from './flow-decision';
import { interruptedLast } from './interrupted-run';
import { countFrom } from './period-mark';
import { describeUnscheduled, unscheduledCover, type UnscheduledCover } from './unscheduled-upstream';
import type { PlannedPeriod } from './scheduler-options';
import type { HandCommands } from './hand-commands';
import { leaseDeath } from '../persistence/lease/lease-death';

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
  definitions: ReadonlyMap<string, FlowDefinition>,
  now: Date,
  limit: number,
  hints: HandCommands,
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
  const blocked = await blockedFrom(definition, definitions, fresh, hints, (cover) =>
    store.doneCount(m, cover.upstream, cover.from, cover.to, cover.granularity),
  );
  // Periods another engine holds (a run by hand, another application): a tick skips them, as running elsewhere.
  const { leases, now: databaseNow } = await store.leasesOf(m, flow);
  const held = new Map(leases.filter((lease) => !leaseDeath(lease, databaseNow)).map((lease) => [lease.timeperiod, lease]));
  for (const timeperiod of fresh) {
    const due = dueAt(timeperiod, schedule);
    const lease = held.get(timeperiod);
    planned.push(
      open.has(timeperiod)
        ? { timeperiod, status: 'running', dueAt: due }
        : lease
          ? { timeperiod, status: 'running', dueAt: due, reason: heldMessage(lease) }
          : (blocked(timeperiod) ?? { timeperiod, status: due <= now ? 'due' : 'scheduled', dueAt: due }),
    );
  }
  const paused = (await store.pausedFlows(m)).has(flow);
  return planned
    .sort((a, b) => a.timeperiod.localeCompare(b.timeperiod))
    .slice(0, limit)
    .map((period) => (paused ? heldByPause(period) : period));
}

/** The plan of a flow that never ran (its database does not exist yet): its first `limit` periods. */
export async function planUnrun(
  definition: FlowDefinition,
  definitions: ReadonlyMap<string, FlowDefinition>,
  now: Date,
  limit: number,
  hints: HandCommands,
): Promise<PlannedPeriod[]> {
  const schedule = definition.schedule!;
  const periods = periodsFrom(schedule.start, limit, schedule);
  // Nothing ran: no period of an `after` flow is processed.
  const blocked = await blockedFrom(definition, definitions, periods, hints, async () => 0);
  return periods.map((timeperiod) => {
    const due = dueAt(timeperiod, schedule);
    return blocked(timeperiod) ?? { timeperiod, status: due <= now ? 'due' : 'scheduled', dueAt: due };
  });
}

/** A paused flow's periods that a tick would start or retry: no tick does until it is resumed. */
function heldByPause(period: PlannedPeriod): PlannedPeriod {
  if (period.status === 'running' || period.status === 'failed' || period.status === 'blocked') return period;
  return { ...period, status: 'paused', reason: `${period.status}; held: the schedule is paused (resume it to go on)` };
}

/**
 * Which of a flow's periods without a run wait for ever: the first whose `after` flow periods come
 * before that flow's schedule start (and are not processed by hand), and every later one, which a
 * waiting period holds back as a tick does.
 */
async function blockedFrom(
  definition: FlowDefinition,
  definitions: ReadonlyMap<string, FlowDefinition>,
  periods: readonly string[],
  hints: HandCommands,
  doneCount: (cover: UnscheduledCover) => Promise<number>,
): Promise<(timeperiod: string) => PlannedPeriod | undefined> {
  const schedule = definition.schedule!;
  for (const timeperiod of periods) {
    for (const name of schedule.after) {
      const cover = unscheduledCover(timeperiod, schedule.granularity, definitions.get(name)!);
      if (!cover || (await doneCount(cover)) >= cover.count) continue;
      const reason = describeUnscheduled(definition.name, cover, hints);
      return (period) =>
        period < timeperiod
          ? undefined
          : {
              timeperiod: period,
              status: 'blocked',
              dueAt: dueAt(period, schedule),
              reason: period === timeperiod ? reason : `held behind ${timeperiod}, which ${reason}`,
            };
    }
  }
  return () => undefined;
}
