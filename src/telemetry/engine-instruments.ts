import { metrics, type Counter, type Histogram, type MeterProvider, type UpDownCounter } from '@opentelemetry/api';
import { DURATION_BUCKETS_MS, METRIC_NAMES, TELEMETRY_SCOPE } from './telemetry-names';

/** The engine's metric instruments, from the meter provider registered when they were made. */
export interface EngineInstruments {
  runs: Counter;
  stepDuration: Histogram;
  stepRetries: Counter;
  stepsInFlight: UpDownCounter;
  schedulerLag: Histogram;
}

/** The instruments, and the provider they came from. */
let cached: { provider: MeterProvider; instruments: EngineInstruments } | undefined;

/**
 * The instruments of the global meter provider. Unlike traces, the metrics API has no proxy: an
 * instrument made before the application registers its SDK stays a no-op for ever. So they are
 * looked up once per run and made again when the registered provider changed (an SDK registered
 * after bootstrap, or replaced by a test).
 */
export function engineInstruments(): EngineInstruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider !== provider) cached = { provider, instruments: makeInstruments(provider) };
  return cached.instruments;
}

function makeInstruments(provider: MeterProvider): EngineInstruments {
  const meter = provider.getMeter(TELEMETRY_SCOPE);
  const advice = { explicitBucketBoundaries: [...DURATION_BUCKETS_MS] };
  return {
    runs: meter.createCounter(METRIC_NAMES.runs, { description: 'Flow runs that ended, by final state', unit: '{run}' }),
    stepDuration: meter.createHistogram(METRIC_NAMES.stepDuration, {
      description: 'Duration of each step attempt, by its outcome',
      unit: 'ms',
      advice,
    }),
    stepRetries: meter.createCounter(METRIC_NAMES.stepRetries, {
      description: 'Failed step attempts that will be tried again',
      unit: '{retry}',
    }),
    stepsInFlight: meter.createUpDownCounter(METRIC_NAMES.stepsInFlight, { description: 'Step attempts running now', unit: '{step}' }),
    schedulerLag: meter.createHistogram(METRIC_NAMES.schedulerLag, {
      description: 'How long after it was due a scheduled run started',
      unit: 'ms',
      advice,
    }),
  };
}
