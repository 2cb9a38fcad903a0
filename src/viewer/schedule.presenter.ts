import type { FlowDefinition } from '../metadata/flow-definition';
import type { FlowSchedule } from '../metadata/schedule-options.schema';
import type { PlannedPeriod, PlannedStatus } from '../scheduler';

/** One period of the plan, with why it waits where the plan and the schedule tell. */
export interface PlannedPeriodView {
  timeperiod: string;
  status: PlannedStatus;
  dueAt: Date;
  why: string;
}

/** What GET /api/flows/:flow/schedule answers: the schedule, in fields and in words, its pause and its next periods. */
export interface ScheduleView {
  flowName: string;
  schedule: FlowSchedule;
  /** The schedule in a sentence: every, start, delay, at once, on failure, after. */
  words: string;
  paused: boolean;
  periods: PlannedPeriodView[];
}

export function presentSchedule(definition: FlowDefinition, paused: boolean, plan: readonly PlannedPeriod[]): ScheduleView {
  const schedule = definition.schedule!;
  const running = plan.filter((p) => p.status === 'running').length;
  // with onFailure 'stop', a failed period holds back every later one until it is processed
  const stopper = schedule.onFailure === 'stop' ? plan.find((p) => p.status === 'retry' || p.status === 'failed') : undefined;
  return {
    flowName: definition.name,
    schedule,
    words: describeSchedule(schedule),
    paused,
    periods: plan.map((period) => ({
      ...period,
      why: whyOf(period, schedule, { running, stopper: stopper && stopper.timeperiod < period.timeperiod ? stopper : undefined }),
    })),
  };
}

function whyOf(period: PlannedPeriod, schedule: FlowSchedule, held: { running: number; stopper: PlannedPeriod | undefined }): string {
  switch (period.status) {
    case 'running':
      return 'running';
    case 'retry':
      return `failed: recovered when due (onFailure ${schedule.onFailure}, up to ${schedule.retries} retries)`;
    case 'failed':
      return 'failed, no retry left: recover it by hand';
    // the plan says why: the pause, or the `after` periods no scheduler runs
    case 'paused':
    case 'blocked':
      return period.reason ?? period.status;
    case 'scheduled':
      return 'not due yet';
    case 'due':
      if (held.stopper) return `due; waits until ${held.stopper.timeperiod} is processed (onFailure stop)`;
      if (held.running >= schedule.maxActiveRuns) return `due; waits for a run to end (maxActiveRuns ${schedule.maxActiveRuns})`;
      if (schedule.after.length) return `due; the next tick starts it once ${schedule.after.join(', ')} processed its period`;
      return 'due: the next tick starts it';
  }
}

/** `every hour from 2026120100, 0 s after each period ends, up to 4 at once; on failure: recover, 2 retries 1 min apart; after hourly_ingest`. */
export function describeSchedule(schedule: FlowSchedule): string {
  const failure =
    schedule.onFailure === 'continue'
      ? 'on failure: continue (no retry)'
      : `on failure: ${schedule.onFailure}, ${schedule.retries} ${schedule.retries === 1 ? 'retry' : 'retries'} ${duration(schedule.retryDelayMs)} apart` +
        (schedule.onFailure === 'stop' ? ', later periods wait' : '');
  return [
    `every ${schedule.every} from ${schedule.start}`,
    `due ${duration(schedule.delayMs)} after each period ends`,
    `${schedule.maxActiveRuns} at once`,
    failure,
    ...(schedule.after.length ? [`after ${schedule.after.join(', ')}`] : []),
  ].join('; ');
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
