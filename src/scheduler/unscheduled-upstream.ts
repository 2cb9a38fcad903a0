import type { EntityManager } from 'typeorm';
import type { FlowDefinition } from '../metadata/flow-definition';
import type { ScheduleStore } from '../persistence/schedule/schedule-store';
import { nextTimeperiod, type Granularity } from '../timeperiod/timeperiod';
import { previousTimeperiod, timeperiodAt, timeperiodStart } from '../timeperiod/timeperiod-time';
import { coveringPeriods, periodCount } from './covering-periods';
import type { HandCommands } from './hand-commands';

/**
 * Periods of an `after` flow that a period needs but that come before that flow's schedule start:
 * no scheduler ever runs them, so the period waits for ever unless someone runs them by hand. Not
 * a definition error: `after` asks for processed periods, and a backfill by hand processes them.
 */
export interface UnscheduledCover {
  /** The `after` flow. */
  upstream: string;
  /** Its schedule's start. */
  upstreamStart: string;
  /** Its granularity. */
  granularity: Granularity;
  /** Its periods before its start, first and last, and how many. */
  from: string;
  to: string;
  count: number;
  /** The first period of the waiting flow that needs none of them. */
  firstFree: string;
}

/** What of `upstream` before its schedule start a period of `granularity` needs; undefined: none. */
export function unscheduledCover(timeperiod: string, granularity: Granularity, upstream: FlowDefinition): UnscheduledCover | undefined {
  const schedule = upstream.schedule;
  // An upstream without a schedule is run by hand or from elsewhere, on purpose: nothing to tell.
  if (!schedule) return undefined;
  const { from, to } = coveringPeriods(timeperiod, granularity, schedule.granularity);
  if (from >= schedule.start) return undefined;
  const last = to < schedule.start ? to : previousTimeperiod(schedule.start, schedule.granularity);
  return beforeStart(upstream, from, last, granularity);
}

/** Why a period waits for ever, and the two ways out: `waits for hourly_ingest periods ... before its schedule start ...`. */
export function describeUnscheduled(flow: string, cover: UnscheduledCover, hints: HandCommands): string {
  const periods = cover.count === 1 ? `${cover.upstream} ${cover.from}` : `${cover.upstream} periods ${cover.from} to ${cover.to}`;
  return (
    `waits for ${periods}, before ${cover.upstream}'s schedule start ${cover.upstreamStart}: no scheduler runs ` +
    `${cover.count === 1 ? 'it' : 'them'}, so this period would wait for ever; ${remedy(flow, cover, hints)}`
  );
}

/**
 * One warning per scheduled flow whose first periods wait for `after` periods before that flow's
 * schedule start, unless they (or the waiting periods themselves) were processed by hand already.
 */
export async function unscheduledUpstreamWarnings(
  m: EntityManager,
  store: ScheduleStore,
  definitions: ReadonlyMap<string, FlowDefinition>,
  hints: HandCommands,
): Promise<string[]> {
  const warnings: string[] = [];
  for (const definition of definitions.values()) {
    const schedule = definition.schedule;
    if (!schedule) continue;
    for (const name of schedule.after) {
      const upstream = definitions.get(name)!;
      const first = unscheduledCover(schedule.start, schedule.granularity, upstream);
      if (!first) continue;
      const cover = beforeStart(upstream, first.from, previousTimeperiod(first.upstreamStart, first.granularity), schedule.granularity);
      const lastWaiting = previousTimeperiod(cover.firstFree, schedule.granularity);
      const waiting = periodCount(schedule.start, lastWaiting, schedule.granularity);
      if ((await store.doneCount(m, definition.name, schedule.start, lastWaiting, schedule.granularity)) >= waiting) continue;
      if ((await store.doneCount(m, upstream.name, cover.from, cover.to, cover.granularity)) >= cover.count) continue;
      warnings.push(
        `flow '${definition.name}' (schedule start ${schedule.start}) runs after '${upstream.name}', whose schedule starts later, ` +
          `at ${cover.upstreamStart}: ${definition.name}'s periods before ${cover.firstFree} wait for ${upstream.name} periods ` +
          `${cover.from} to ${cover.to}, which no scheduler runs: they would wait for ever; ${remedy(definition.name, cover, hints)}`,
      );
    }
  }
  return warnings;
}

function remedy(flow: string, cover: UnscheduledCover, hints: HandCommands): string {
  return (
    `run ${cover.count === 1 ? 'it' : 'them'} by hand (${hints.backfill(cover.upstream, cover.from, cover.to)}) ` +
    `or move ${flow}'s schedule start to ${cover.firstFree}`
  );
}

function beforeStart(upstream: FlowDefinition, from: string, to: string, granularity: Granularity): UnscheduledCover {
  const schedule = upstream.schedule!;
  const startsAt = timeperiodStart(schedule.start);
  const holding = timeperiodAt(startsAt, granularity);
  return {
    upstream: upstream.name,
    upstreamStart: schedule.start,
    granularity: schedule.granularity,
    from,
    to,
    count: periodCount(from, to, schedule.granularity),
    firstFree: timeperiodStart(holding) < startsAt ? nextTimeperiod(holding, granularity) : holding,
  };
}
