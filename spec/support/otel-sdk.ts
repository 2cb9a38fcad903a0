import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader, type DataPoint, type Histogram, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** A metric reader that hands its figures to whoever calls collect(): a spec reads them when it wants. */
class InMemoryMetricReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** The OpenTelemetry SDK, registered globally for one spec, as an application registers it. */
export interface InstalledOtel {
  /** Every span ended so far. */
  spans(): ReadableSpan[];
  /** The metrics as they stand now. */
  metrics(): Promise<MetricData[]>;
  /** Unregisters the providers and the context manager: the next spec sees the API's no-ops again. */
  uninstall(): Promise<void>;
}

/** Registers a tracer provider with an in-memory exporter, a meter provider with an in-memory reader and the AsyncLocalStorage context manager. */
export function installOtel(): InstalledOtel {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new InMemoryMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  if (
    !context.setGlobalContextManager(contextManager) ||
    !trace.setGlobalTracerProvider(tracerProvider) ||
    !metrics.setGlobalMeterProvider(meterProvider)
  )
    throw new Error('an OpenTelemetry provider is still registered: a spec did not uninstall it');
  return {
    spans: () => exporter.getFinishedSpans(),
    metrics: async () => {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length) throw errors[0];
      return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    },
    uninstall: async () => {
      trace.disable();
      metrics.disable();
      context.disable();
      contextManager.disable();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

/** The data points of one metric, by name; none when it recorded nothing. */
export function pointsOf<T = number>(all: MetricData[], name: string): DataPoint<T>[] {
  return (all.find((m) => m.descriptor.name === name)?.dataPoints ?? []) as DataPoint<T>[];
}

/** The value of a counter or gauge point whose attributes include `attributes`; 0 when there is none. */
export function valueOf(all: MetricData[], name: string, attributes: Record<string, string>): number {
  const point = pointsOf(all, name).find((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));
  return point?.value ?? 0;
}

/** A histogram point's count, by the same attribute match. */
export function histogramCount(all: MetricData[], name: string, attributes: Record<string, string>): number {
  const point = pointsOf<Histogram>(all, name).find((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));
  return point?.value.count ?? 0;
}
