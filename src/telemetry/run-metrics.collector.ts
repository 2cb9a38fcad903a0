import type { Observable, Subscription } from 'rxjs';
import type { FlowEvent } from '../domain/flow-event';
import { FlowState, StepState } from '../domain/states';
import { PrometheusText, type HistogramValue, type Labels } from './prometheus-text';
import { onSchedulerLag } from './scheduler-lag';
import { DURATION_BUCKETS_MS } from './telemetry-names';

/** The key of a series: its label values joined by a character no flow, step or state name has. */
const SEP = '\u0000';

/**
 * The viewer's `/metrics`: the same metrics as the OpenTelemetry instruments, under the names an
 * OpenTelemetry Prometheus exporter gives them, counted from `app.events$` since the viewer
 * started (a Prometheus counter starts at 0 with its process; `rate()` handles the restart).
 * An attempt lasts from its step's `in_progress` event to the retry or final event that ends it.
 * The scheduler's lag is not an event: it is heard from recordSchedulerLag, for this app's flows.
 */
export class RunMetricsCollector {
  private readonly runs = new Map<string, number>();
  private readonly retries = new Map<string, number>();
  private readonly durations = new Map<string, HistogramValue>();
  private readonly lags = new Map<string, HistogramValue>();
  private readonly runsInFlight = new Map<string, number>();
  private readonly stepsInFlight = new Map<string, number>();
  /** The runs in flight: flow name, and when each running attempt of theirs started (by step name). */
  private readonly running = new Map<string, { flowName: string; attempts: Map<string, number> }>();
  private readonly subscription: Subscription;
  private readonly stopHearingLags: () => void;

  constructor(events$: Observable<FlowEvent>, flows: readonly string[]) {
    // Every flow has its gauges from the start, so that a dashboard shows 0, not "no data".
    for (const flow of flows) {
      this.runsInFlight.set(flow, 0);
      this.stepsInFlight.set(flow, 0);
    }
    this.subscription = events$.subscribe((event) => this.observe(event));
    const ours = new Set(flows);
    this.stopHearingLags = onSchedulerLag((flowName, lagMs) => {
      if (ours.has(flowName)) observeIn(this.lags, flowName, lagMs);
    });
  }

  close(): void {
    this.subscription.unsubscribe();
    this.stopHearingLags();
  }

  private observe(event: FlowEvent): void {
    if (event.type === 'flow') {
      if (event.state === FlowState.IN_PROGRESS) {
        if (this.running.has(event.runId)) return;
        this.running.set(event.runId, { flowName: event.flowName, attempts: new Map() });
        add(this.runsInFlight, event.flowName, 1);
      } else if (event.state !== FlowState.EMBRYO) {
        increment(this.runs, event.flowName, event.state);
        const run = this.running.get(event.runId);
        if (!run) return;
        this.running.delete(event.runId);
        add(this.runsInFlight, event.flowName, -1);
        add(this.stepsInFlight, event.flowName, -run.attempts.size);
      }
    } else if (event.type === 'step') {
      const run = this.running.get(event.runId);
      if (!run) return;
      if (event.state === StepState.IN_PROGRESS) {
        if (!run.attempts.has(event.stepName)) add(this.stepsInFlight, event.flowName, 1);
        run.attempts.set(event.stepName, event.at);
      } else {
        this.attemptEnded(run.attempts, event.flowName, event.stepName, event.state, event.at);
      }
    } else if (event.type === 'retry') {
      increment(this.retries, event.flowName, event.stepName);
      const run = this.running.get(event.runId);
      if (run) this.attemptEnded(run.attempts, event.flowName, event.stepName, StepState.INVALID, event.at);
    }
  }

  private attemptEnded(attempts: Map<string, number>, flowName: string, stepName: string, state: string, at: number): void {
    const startedAt = attempts.get(stepName);
    if (startedAt === undefined) return;
    attempts.delete(stepName);
    add(this.stepsInFlight, flowName, -1);
    observeIn(this.durations, `${flowName}${SEP}${state}`, Math.max(0, at - startedAt));
  }

  /** The metrics as Prometheus text. */
  toPrometheus(): string {
    return new PrometheusText()
      .family('synergy_flow_runs_total', 'counter', 'Flow runs that ended, by final state.', series(this.runs, ['flow', 'state']))
      .family('synergy_flow_runs_in_flight', 'gauge', 'Flow runs in flight in this process.', series(this.runsInFlight, ['flow']))
      .family('synergy_flow_steps_in_flight', 'gauge', 'Step attempts running now.', series(this.stepsInFlight, ['flow']))
      .histogram(
        'synergy_flow_step_duration_milliseconds',
        'Duration of each step attempt, by its outcome (processed, invalid, canceled).',
        DURATION_BUCKETS_MS,
        series(this.durations, ['flow', 'state']),
      )
      .family(
        'synergy_flow_step_retries_total',
        'counter',
        'Failed step attempts that will be tried again.',
        series(this.retries, ['flow', 'step']),
      )
      .histogram(
        'synergy_flow_scheduler_lag_milliseconds',
        "How late a scheduled period's first run started after it was due.",
        DURATION_BUCKETS_MS,
        series(this.lags, ['flow']),
      )
      .toString();
  }
}

/** Counts `ms` in the histogram of `key` (made on its first value). */
function observeIn(histograms: Map<string, HistogramValue>, key: string, ms: number): void {
  let histogram = histograms.get(key);
  if (!histogram) histograms.set(key, (histogram = { counts: DURATION_BUCKETS_MS.map(() => 0), sum: 0, count: 0 }));
  const bucket = DURATION_BUCKETS_MS.findIndex((bound) => ms <= bound);
  if (bucket >= 0) histogram.counts[bucket]++;
  histogram.sum += ms;
  histogram.count++;
}

function add(map: Map<string, number>, key: string, delta: number): void {
  map.set(key, (map.get(key) ?? 0) + delta);
}

function increment(map: Map<string, number>, ...labelValues: string[]): void {
  add(map, labelValues.join(SEP), 1);
}

/** The map's entries as labelled samples, sorted by their labels so the text is stable from scrape to scrape. */
function series<V>(map: Map<string, V>, labelNames: readonly string[]): Array<[Labels, V]> {
  return [...map]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => {
      const values = key.split(SEP);
      return [Object.fromEntries(labelNames.map((name, i) => [name, values[i]])), value];
    });
}
