import type { Observable, Subscription } from 'rxjs';
// The two modules, not the 'rxjs' index: that loads every operator (~190 more modules for a cold CLI run).
import { Subject } from 'rxjs/internal/Subject';
import { filter } from 'rxjs/internal/operators/filter';
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

/**
 * The state of one [flow, timeperiod] run as the events tell it, for the progress views. It
 * starts from the plan (which steps this run executes, which it keeps) and follows `app.events$`;
 * `finish()` settles what never ran.
 */
/** How many of a run's steps are where: `total` counts the steps it runs, not those it keeps. */
export interface RunCounts {
  total: number;
  done: number;
  failed: number;
  canceled: number;
  running: number;
  kept: number;
}

/** `, 1 failed, 2 canceled`: what of a run did not end well, for a tally line; empty when nothing. */
export function notDoneTally({ failed, canceled }: Pick<RunCounts, 'failed' | 'canceled'>): string {
  return `${failed ? `, ${failed} failed` : ''}${canceled ? `, ${canceled} canceled` : ''}`;
}

export class RunProgress {
  readonly changes$ = new Subject<ProgressChange>();
  readonly startedAt = Date.now();
  endedAt?: number;
  state: FlowState = FlowState.EMBRYO;
  error?: string;
  private readonly steps = new Map<string, StepProgress>();
  /** How many steps are in each phase, kept as they move: counts() runs at every change, and recounting made a run O(steps^2). */
  private readonly inPhase = new Map<StepPhase, number>();
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
      const phase: StepPhase = kept ? 'kept' : 'waiting';
      this.steps.set(name, {
        name,
        dependsOn: graph.dependenciesOf(name),
        phase,
        keptState: kept ? (persisted.get(name) ?? StepState.EMBRYO) : undefined,
        attempt: 0,
      });
      this.tally(phase, 1);
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

  /** `failed` and `canceled` apart: a step a Ctrl-C stopped did not fail. */
  counts(): RunCounts {
    const n = (phase: StepPhase) => this.inPhase.get(phase) ?? 0;
    const kept = n('kept');
    return {
      total: this.steps.size - kept,
      done: n('processed') + n('noop'),
      failed: n('invalid'),
      canceled: n('canceled'),
      running: n('running') + n('retrying'),
      kept,
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
      if (!SETTLED.has(step.phase)) this.moveTo(step, 'not_run');
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
      this.moveTo(step, 'retrying');
      Object.assign(step, { error: event.error, retryDelayMs: event.delayMs });
    } else {
      step.attempt = event.attempt;
      step.cluster = event.cluster ?? step.cluster;
      switch (event.state) {
        case StepState.IN_PROGRESS:
          this.moveTo(step, 'running');
          Object.assign(step, { startedAt: at, finishedAt: undefined, error: undefined, retryDelayMs: undefined });
          break;
        case StepState.PROCESSED:
        case StepState.NOOP:
        case StepState.INVALID:
        case StepState.CANCELED:
          this.moveTo(step, event.state);
          Object.assign(step, { finishedAt: at, error: event.error });
          step.startedAt ??= at;
          break;
        default:
          return;
      }
    }
    this.changes$.next({ kind: 'step', step, at });
    if (SETTLED.has(step.phase)) this.settle(step);
  }

  /** The one way a step changes phase once made: the tally of counts() follows. */
  private moveTo(step: StepProgress, phase: StepPhase): void {
    this.tally(step.phase, -1);
    this.tally(phase, 1);
    step.phase = phase;
  }

  private tally(phase: StepPhase, by: number): void {
    this.inPhase.set(phase, (this.inPhase.get(phase) ?? 0) + by);
  }

  private settle(step: StepProgress): void {
    const waiting = this.waiters.get(step.name) ?? [];
    this.waiters.delete(step.name);
    for (const resolve of waiting) resolve(step);
  }
}
