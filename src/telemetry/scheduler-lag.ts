import { otelRegistered } from './otel-registered';

/** Hears each lag recorded in this process: the viewer's `/metrics` counts them beside the OpenTelemetry histogram. */
export type SchedulerLagListener = (flowName: string, lagMs: number) => void;

const listeners = new Set<SchedulerLagListener>();

/**
 * Records how late a scheduled run started: the time from when its timeperiod was due (the period's
 * end plus the schedule's delay) to the run's start, in milliseconds, on the
 * `synergy_flow.scheduler.lag` histogram (attribute `flow`), and at the `/metrics` of the viewers of
 * this process. The scheduler records each period's first run; an application that triggers runs on
 * its own timetable may call it too. The histogram is a no-op until an OpenTelemetry SDK is registered.
 *
 * @param flowName the flow that was due
 * @param lagMs milliseconds from due to started; a negative value (a clock skew) is recorded as 0
 * @example
 * ```ts
 * recordSchedulerLag('daily_etl', Date.now() - dueAt.getTime());
 * ```
 */
export function recordSchedulerLag(flowName: string, lagMs: number): void {
  const ms = Math.max(0, lagMs);
  if (otelRegistered()) {
    // required here, not imported: without an SDK the OpenTelemetry API is never loaded (docs/architecture.md, "Lazy loading")
    const { engineInstruments } = require('./engine-instruments') as typeof import('./engine-instruments');
    engineInstruments().schedulerLag.record(ms, { flow: flowName });
  }
  for (const listener of listeners) listener(flowName, ms);
}

/** Calls `listener` with every lag recorded in this process from now on; returns what stops it. */
export function onSchedulerLag(listener: SchedulerLagListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
