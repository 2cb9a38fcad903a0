/**
 * Where @opentelemetry/api 1.x keeps what an application registered (its `GLOBAL_OPENTELEMETRY_API_KEY`,
 * one key for every copy of the API of that major version in the process).
 */
const OTEL_API_GLOBAL = Symbol.for('opentelemetry.js.api.1');

/**
 * Whether an OpenTelemetry SDK (a tracer or meter provider, or a context manager) is registered in
 * this process, read without loading the API: until one is, every call of the API is a no-op,
 * and loading it (44 modules, ~14 ms and several MiB here) would be its only effect.
 */
export function otelRegistered(): boolean {
  const registry = (globalThis as Record<symbol, Record<string, unknown> | undefined>)[OTEL_API_GLOBAL];
  return registry !== undefined && (registry.trace !== undefined || registry.metrics !== undefined || registry.context !== undefined);
}
