import type { FlowSchedule } from '../../metadata/schedule-options.schema';

/** `every hour from 2026010100 (UTC), delay 0 ms, 1 at a time, on failure recover (2 retries, 300000 ms apart), after hourly_ingest`. */
export function describeSchedule(schedule: FlowSchedule): string {
  const failure =
    schedule.onFailure === 'continue'
      ? 'on failure continue'
      : `on failure ${schedule.onFailure} (${schedule.retries} ${schedule.retries === 1 ? 'retry' : 'retries'}, ${schedule.retryDelayMs} ms apart)`;
  return [
    `every ${schedule.every} from ${schedule.start} (UTC)`,
    `delay ${schedule.delayMs} ms`,
    `${schedule.maxActiveRuns} at a time`,
    failure,
    ...(schedule.after.length ? [`after ${schedule.after.join(', ')}`] : []),
  ].join(', ');
}
