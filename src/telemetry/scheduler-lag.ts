/**
 * Records how late a scheduled run started: the time from when its timeperiod was due (the period's
 * end plus the schedule's delay) to the run's start, in milliseconds, on the
 * `synergy_flow.scheduler.lag` histogram (attribute `flow`). For the scheduler, and for an
 * application that triggers runs on its own timetable. A no-op until an OpenTelemetry SDK is registered.
 *
 * @param flowName the flow that was due
 * @param lagMs milliseconds from due to started; a negative value (a clock skew) is recorded as 0
 * @example
 * ```ts
 * recordSchedulerLag('daily_etl', Date.now() - dueAt.getTime());
 * ```
 */
export function recordSchedulerLag(flowName: string, lagMs: number): void {
  // required here, not imported: `import 'synergy-flow'` does not load the OpenTelemetry API (docs/architecture.md, "Lazy loading")
  const { engineInstruments } = require('./engine-instruments') as typeof import('./engine-instruments');
  engineInstruments().schedulerLag.record(Math.max(0, lagMs), { flow: flowName });
}
