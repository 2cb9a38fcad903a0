import type { FlowSchedule } from '../metadata/schedule-options.schema';
import type { ScheduleMarkRecord } from '../persistence/schedule/schedule-mark.entity';
import { isTimeperiodOf } from '../timeperiod/timeperiod-time';

/**
 * Where a tick counts a flow's periods without a row from: its persisted mark when the mark can be
 * trusted, else the schedule's start (the whole range, counted again). A mark is not believed when
 * a flow row was deleted since (NULL), when it counted another granularity, when the schedule's
 * start moved earlier than the one it counted from (the periods before the old start were never
 * counted), or when it does not read as a period of the flow.
 */
export function countFrom(mark: ScheduleMarkRecord | undefined, schedule: FlowSchedule): { from: string; trusted: boolean } {
  const next = mark?.nextPeriod;
  const trusted =
    !!next &&
    mark.granularity === schedule.granularity &&
    mark.startPeriod !== null &&
    mark.startPeriod <= schedule.start &&
    readsAsPeriodOf(next, schedule);
  // A later start than the mark's: the mark still holds for the periods from the new start on.
  return trusted && next > schedule.start ? { from: next, trusted } : { from: schedule.start, trusted };
}

/**
 * The mark a tick writes once it counted from `from` and found `frontier` (the first period without
 * a row, or the one after the last due), or undefined when there is nothing to write: a trusted mark
 * is only ever moved forward, so a clock that went back (a `frontier` behind the mark) leaves it be.
 */
export function nextMark(
  flowName: string,
  schedule: FlowSchedule,
  read: ScheduleMarkRecord | undefined,
  counted: { from: string; trusted: boolean },
  frontier: string,
): Pick<ScheduleMarkRecord, 'flowName' | 'startPeriod' | 'granularity' | 'nextPeriod'> | undefined {
  if (counted.trusted ? frontier <= counted.from : frontier < counted.from) return undefined;
  const mark = { flowName, startPeriod: schedule.start, granularity: schedule.granularity, nextPeriod: frontier };
  const same =
    read && read.startPeriod === mark.startPeriod && read.granularity === mark.granularity && read.nextPeriod === mark.nextPeriod;
  return same ? undefined : mark;
}

function readsAsPeriodOf(timeperiod: string, schedule: FlowSchedule): boolean {
  try {
    return isTimeperiodOf(timeperiod, schedule.granularity);
  } catch {
    return false;
  }
}
