import { otelRegistered } from './otel-registered';
import { NO_ACTION_TELEMETRY, type AttemptTelemetry, type RunTelemetry, type RunTelemetryInit } from './run-telemetry.port';

const NO_ATTEMPT_TELEMETRY: AttemptTelemetry = {
  actionStarted: () => NO_ACTION_TELEMETRY,
  processed: () => undefined,
  failed: () => undefined,
  retried: () => undefined,
};

/** A run in a process where no OpenTelemetry SDK is registered: what the API would do then, nothing. */
const NO_RUN_TELEMETRY: RunTelemetry = {
  attemptStarted: () => NO_ATTEMPT_TELEMETRY,
  ended: () => undefined,
};

/**
 * Starts a run's telemetry, as a child of the context active now. Decided once per run, like the
 * metric instruments: with no SDK registered the run makes no span and records no metric, and
 * `@opentelemetry/api` is not even loaded (docs/architecture.md, "Lazy loading"); a run started
 * after the application registers one records.
 */
export function startRunTelemetry(init: RunTelemetryInit): RunTelemetry {
  if (!otelRegistered()) return NO_RUN_TELEMETRY;
  // required here, not imported: a process without an SDK never loads the API
  const { OtelRunTelemetry } = require('./otel-run-telemetry') as typeof import('./otel-run-telemetry');
  return OtelRunTelemetry.start(init);
}
