import { Subject, filter, type Observable, type Subscription } from 'rxjs';
import type { FlowEvent } from '../../domain/flow-event';
import type { FlowRunResult } from '../../engine/run-options';
import type { FlowGraph } from '../../graph/flow-graph';
import type { RunMode } from '../../persistence/flow.entity';
import { FlowState, StepState } from '../../domain/states';

/** Where a step stands in this run, as the progress views show it. */
export type StepPhase = 'kept' | 'waiting' | 'running' | 'retrying' | 'processed' | 'noop' | 'invalid' | 'canceled' | 'not_run';

export interface StepProgress {
  readonly name: string;
  readonly dependsOn: readonly string[];
  phase: StepPhase;
  /** The persisted state of a step this run does not touch (`kept`). */
  keptState?: StepState;
  attempt: number;
  cluster?: string;
  /** Epoch ms of the current attempt's start and of the step's end, from the events. */
  startedAt?: number;
  finishedAt?: number;
  retryDelayMs?: number;
  error?: string;
}

/** One thing the views announce: a step changed, or the run started or ended. */
export type ProgressChange = { kind: 'step'; step: StepProgress; at: number } | { kind: 'flow'; state: FlowState; at: number };

const SETTLED: ReadonlySet<StepPhase> = new Set(['kept', 'processed', 'noop', 'invalid', 'canceled', 'not_run']);
const DONE: ReadonlySet<StepPhase> = new Set(['processed', 'noop']);

/**
 * The state of one [flow, timeperiod] run as the events tell it, for the progress views. It
 * starts from the plan (which steps this run executes, which it keeps) and follows `app.events$`;
 * `finish()` settles what never ran.
 */
export class RunProgress {
  readonly changes$ = new Subject<ProgressChange>();
  readonly startedAt = Date.now();
  endedAt?: number;
  state: FlowState = FlowState.EMBRYO;
  error?: string;
  private readonly steps = new Map<string, StepProgress>();
  private readonly waiters = new Map<string, Array<(step: StepProgress) => void>>();
  private subscription?: Subscription;

  constructor(
    readonly flowName: string,
    readonly timeperiod: string,
    readonly mode: RunMode,
    graph: FlowGraph,
    toRun: ReadonlySet<string>,
    persisted: ReadonlyMap<string, StepState>,
  ) {
    for (const name of graph.topologicalOrder()) {
      const kept = !toRun.has(name);
      this.steps.set(name, {
        name,
        dependsOn: graph.dependenciesOf(name),
        phase: kept ? 'kept' : 'waiting',
        keptState: kept ? (persisted.get(name) ?? StepState.EMBRYO) : undefined,
        attempt: 0,
      });
    }
  }

  /** Follows this run's events. Call before starting the run: events$ does not replay. */
  attach(events$: Observable<FlowEvent>): this {
    this.subscription = events$
      .pipe(filter((e) => e.flowName === this.flowName && e.timeperiod === this.timeperiod))
      .subscribe((e) => this.apply(e));
    return this;
  }

  /** Every step, dependencies first. */
  all(): StepProgress[] {
    return [...this.steps.values()];
  }

  step(name: string): StepProgress | undefined {
    return this.steps.get(name);
  }

  /** Resolves once the step has reached its final phase in this run. */
  settled(name: string): Promise<StepProgress> {
    const step = this.steps.get(name)!;
    if (SETTLED.has(step.phase)) return Promise.resolve(step);
    return new Promise((resolve) => this.waiters.set(name, [...(this.waiters.get(name) ?? []), resolve]));
  }

  counts(): { total: number; done: number; failed: number; running: number; kept: number } {
    const all = this.all();
    const inRun = all.filter((s) => s.phase !== 'kept');
    return {
      total: inRun.length,
      done: inRun.filter((s) => DONE.has(s.phase)).length,
      failed: inRun.filter((s) => s.phase === 'invalid' || s.phase === 'canceled').length,
      running: inRun.filter((s) => s.phase === 'running' || s.phase === 'retrying').length,
      kept: all.length - inRun.length,
    };
  }

  get ended(): boolean {
    return this.endedAt !== undefined;
  }

  /** The run is over (or threw): steps that never started are `not_run`; every waiter resolves. */
  finish(result?: FlowRunResult, error?: string): void {
    if (this.ended) return;
    this.subscription?.unsubscribe();
    if (result) this.state = result.state;
    else this.state = FlowState.INVALID;
    this.error = result?.error ?? error;
    this.endedAt = Date.now();
    for (const step of this.steps.values()) {
      if (!SETTLED.has(step.phase)) step.phase = 'not_run';
      this.settle(step);
    }
    this.changes$.complete();
  }

  private apply(event: FlowEvent): void {
    const at = event.at;
    if (event.type === 'flow') {
      this.state = event.state;
      this.changes$.next({ kind: 'flow', state: event.state, at });
      return;
    }
    if (event.type !== 'step' && event.type !== 'retry') return;
    const step = this.steps.get(event.stepName);
    if (!step) return;
    if (event.type === 'retry') {
      Object.assign(step, { phase: 'retrying', error: event.error, retryDelayMs: event.delayMs });
    } else {
      step.attempt = event.attempt;
      step.cluster = event.cluster ?? step.cluster;
      switch (event.state) {
        case StepState.IN_PROGRESS:
          Object.assign(step, { phase: 'running', startedAt: at, finishedAt: undefined, error: undefined, retryDelayMs: undefined });
          break;
        case StepState.PROCESSED:
        case StepState.NOOP:
        case StepState.INVALID:
        case StepState.CANCELED:
          Object.assign(step, { phase: event.state, finishedAt: at, error: event.error });
          step.startedAt ??= at;
          break;
        default:
          return;
      }
    }
    this.changes$.next({ kind: 'step', step, at });
    if (SETTLED.has(step.phase)) this.settle(step);
  }

  private settle(step: StepProgress): void {
    const waiting = this.waiters.get(step.name) ?? [];
    this.waiters.delete(step.name);
    for (const resolve of waiting) resolve(step);
  }
}
