import 'reflect-metadata';
import * as path from 'node:path';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { bootstrap, FlowState, nextTimeperiod } from '../src';
import { noOpFlow, type FlowShape } from './no-op-flows';
import { startRunTelemetry } from '../src/telemetry/run-telemetry';
import { scratchDirectory } from './scratch';
import { medianBy, perSecond } from './stats';

/** Keeps what the meter provider aggregated until collect(): the in-memory reader of the specs. */
class InMemoryMetricReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * What the engine's OpenTelemetry instrumentation costs: a no-op flow run with no SDK registered
 * (the API's no-ops: the baseline), with the SDK recording every span into an in-memory exporter
 * and every metric into an in-memory reader, and with the SDK registered but the traces sampled
 * out (AlwaysOffSampler: metrics only). The three alternate round by round, in one process, on one
 * SQLite file. Prints steps/s of each (median of the rounds), the cost per step, and the ratios.
 *
 *   node --expose-gc dist/bench/telemetry-cost.js [steps=1000] [rounds=7] [shape=layered]
 */
type Variant = 'no SDK' | 'SDK, every span' | 'SDK, sampled out';
const VARIANTS: Variant[] = ['no SDK', 'SDK, every span', 'SDK, sampled out'];

async function main(): Promise<void> {
  const steps = Number(process.argv[2] ?? 1_000);
  const rounds = Number(process.argv[3] ?? 7);
  const shape = (process.argv[4] ?? 'layered') as FlowShape;
  const flow = noOpFlow(shape, steps);
  const dir = scratchDirectory('telemetry-');
  const app = await bootstrap({
    flows: [flow.flowClass],
    database: { type: 'better-sqlite3', database: path.join(dir, 'synergy-flow.db') },
    logDirectory: path.join(dir, 'logs'),
    tuneV8: true,
  });
  let timeperiod = '2026010100';
  let spansPerStep = 0;
  const run = async (variant: Variant): Promise<number> => {
    const sdk = variant === 'no SDK' ? undefined : install(variant === 'SDK, sampled out');
    try {
      (globalThis as { gc?: () => void }).gc?.();
      timeperiod = nextTimeperiod(timeperiod);
      const started = performance.now();
      const result = await app.run(flow.name, { timeperiod });
      const ms = performance.now() - started;
      if (result.state !== 'processed') throw new Error(`the ${variant} run ended ${result.state}`);
      if (variant === 'SDK, every span') spansPerStep = sdk!.exporter.getFinishedSpans().length / steps;
      await sdk?.reader.collect();
      return perSecond(steps, ms);
    } finally {
      await sdk?.uninstall();
    }
  };

  console.log(`OpenTelemetry cost: ${shape} no-op flow of ${steps.toLocaleString('en-US')} steps on SQLite, ${rounds} rounds, alternating`);
  // The first run creates the log files: a warm-up of each variant, not measured.
  for (const variant of VARIANTS) await run(variant);
  const samples = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
  for (let i = 0; i < rounds; i++) {
    const order = [...VARIANTS.slice(i % VARIANTS.length), ...VARIANTS.slice(0, i % VARIANTS.length)];
    for (const variant of order) samples.get(variant)!.push(await run(variant));
  }
  await app.close();

  const median = (v: Variant) => medianBy(samples.get(v)!, (x) => x);
  const baseline = median('no SDK');
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  for (const variant of VARIANTS) {
    const sps = median(variant);
    const costUs = (1e6 / sps - 1e6 / baseline).toFixed(1);
    console.log(
      `  ${variant.padEnd(17)} ${fmt(sps).padStart(7)} steps/s   ${(1e6 / sps).toFixed(1).padStart(6)} us/step` +
        (variant === 'no SDK' ? '   (baseline)' : `   +${costUs} us/step   ${(sps / baseline).toFixed(2)}x the baseline's steps/s`),
    );
  }
  console.log(`  spans per step with every span recorded: ${spansPerStep.toFixed(2)} (a step attempt and its main action; the run's own)`);
  // The engine's telemetry calls alone, without an SDK: what each step of the no-SDK runs paid for them.
  const hookNs = hooksPerStepNs(200_000);
  console.log(
    `  the telemetry calls of one step without an SDK, alone: ${hookNs.toFixed(0)} ns, ` +
      `${((hookNs / (1e9 / baseline)) * 100).toFixed(2)}% of a no-SDK step's ${(1e6 / baseline).toFixed(1)} us`,
  );
}

/** A run's telemetry calls for `steps` steps of one main action each, as the engine makes them; ns per step (median of 5). */
function hooksPerStepNs(steps: number): number {
  const redact = (text: string) => text;
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    const run = startRunTelemetry({ flowName: 'f', timeperiod: '2026010100', runId: 'r', runMode: 'run', trigger: 'api', redact });
    for (let i = 0; i < steps; i++) {
      const attempt = run.attemptStarted('s', 1, 'local-1');
      const action = attempt.actionStarted('run', 'main');
      action.within(() => undefined);
      action.completed();
      attempt.processed();
    }
    run.ended(FlowState.PROCESSED);
    samples.push(((performance.now() - started) * 1e6) / steps);
  }
  return medianBy(samples, (x) => x);
}

/** Registers the SDK globally, as an application does; `uninstall` puts the API's no-ops back. */
function install(sampledOut: boolean) {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    ...(sampledOut ? { sampler: new AlwaysOffSampler() } : {}),
  });
  const reader = new InMemoryMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    exporter,
    reader,
    uninstall: async () => {
      trace.disable();
      metrics.disable();
      context.disable();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
