import type { FlowSchedule } from '../metadata/schedule-options.schema';
import { nextTimeperiod } from '../timeperiod/timeperiod';
import { previousTimeperiod, timeperiodAt, timeperiodEnd } from '../timeperiod/timeperiod-time';

/** When a period is due: once it has ended (UTC), plus the schedule's delayMs. */
export function dueAt(timeperiod: string, schedule: FlowSchedule): Date {
  return new Date(timeperiodEnd(timeperiod, schedule.granularity).getTime() + schedule.delayMs);
}

/** The latest period due at `now`, or undefined while not even `start` is. */
export function lastDuePeriod(now: Date, schedule: FlowSchedule): string | undefined {
  // The period holding `now - delayMs` has not ended yet (at that instant): the one before it is the last due.
  const last = previousTimeperiod(timeperiodAt(new Date(now.getTime() - schedule.delayMs), schedule.granularity), schedule.granularity);
  return last >= schedule.start ? last : undefined;
}

/** `count` periods from `from` on (fewer at the end of time). */
export function periodsFrom(from: string, count: number, schedule: FlowSchedule): string[] {
  const periods: string[] = [];
  let period: string | undefined = from;
  while (period && periods.length < count) {
    periods.push(period);
    period = period.startsWith('9999') ? undefined : nextTimeperiod(period, schedule.granularity);
  }
  return periods;
}
