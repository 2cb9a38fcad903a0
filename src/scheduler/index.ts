import { parseOptions } from '../config/parse-options';
import { systemClock } from '../domain/clock.port';
import { handCommands } from './hand-commands';
import { Scheduler } from './scheduler';
import type { SchedulerHost } from './scheduler-host.port';
import { schedulerOptionsSchema, type SchedulerOptions } from './scheduler-options';

export { Scheduler } from './scheduler';
export type { SchedulerHost } from './scheduler-host.port';
export type { SchedulerOptions, SchedulerStartOptions, PlanOptions, PlannedPeriod, PlannedStatus } from './scheduler-options';
export type { TickReport, TickEntry, TriggeredRun, TriggerReason, WaitReason, SkipReason } from './tick-report';

/** What `app.scheduler(options)` calls, once it has its host: checks the options first. */
export function createScheduler(host: SchedulerHost, options: SchedulerOptions = {}): Scheduler {
  const { clock = systemClock, programName } = parseOptions(schedulerOptionsSchema, options, 'app.scheduler() options');
  return new Scheduler(host, clock, handCommands(programName));
}
