// The two modules, not the 'rxjs' index: that loads every operator (~190 more modules for a cold CLI run).
import { Subject } from 'rxjs/internal/Subject';
import { mergeMap } from 'rxjs/internal/operators/mergeMap';
import type { FlowGraph } from '../graph/flow-graph';

export interface ScheduleRequest {
  graph: FlowGraph;
  /** The steps to run; dependencies outside this set are taken as already processed. */
  toRun: ReadonlySet<string>;
  /** Most steps in flight at once (the number of clusters). */
  concurrency: number;
  /** Runs one step (see StepOutcome). */
  execute: (step: string) => Promise<StepOutcome>;
  /** Asked just before a queued step starts; false (fail-fast, cancel) leaves it unstarted. */
  canStart: () => boolean;
}

/** How a step ended, as the scheduler needs it. */
export interface StepOutcome {
  /** True when the step ended processed (or noop): its dependents may be scheduled. */
  processed: boolean;
  /**
   * Resolves once that final state is committed. The dependents are scheduled at once, before it
   * resolves, so that their in_progress writes join the very same group commit (one transaction
   * instead of two on the critical path); each dependent still starts its actions only after its
   * own in_progress write is committed, which is never before this one (commits keep their order:
   * the StateWriter contract, src/domain/state-writer.port.ts).
   */
  durable: Promise<unknown>;
}

/** A step that did not end processed (failed, or never started) and has nothing left to commit. */
export const NOT_PROCESSED: StepOutcome = { processed: false, durable: Promise.resolve() };

/**
 * The scheduler: ready steps flow through a Subject into `mergeMap(execute, concurrency)`. A
 * step is pushed the moment its last dependency reports processed, so nothing polls and nothing
 * sleeps; mergeMap's limit is the only throttle. Resolves when no step is running or can start
 * and every step's final state is durable.
 */
export function scheduleSteps(req: ScheduleRequest): Promise<void> {
  const { graph, toRun } = req;
  const waitingOn = new Map<string, number>();
  for (const step of toRun) waitingOn.set(step, graph.dependenciesOf(step).filter((d) => toRun.has(d)).length);

  return new Promise<void>((resolve, reject) => {
    const ready$ = new Subject<string>();
    let outstanding = 0;
    const enqueue = (step: string) => {
      outstanding++;
      ready$.next(step);
    };
    const settle = () => {
      if (--outstanding === 0) ready$.complete();
    };

    ready$
      .pipe(
        mergeMap(
          // mergeMap calls this only when a slot is free, so canStart() is asked when the step would start.
          async (step) => ({ step, outcome: req.canStart() ? await req.execute(step) : NOT_PROCESSED }),
          Math.max(1, req.concurrency),
        ),
      )
      .subscribe({
        next: ({ step, outcome }) => {
          if (outcome.processed) {
            for (const dependent of graph.dependentsOf(step)) {
              const left = waitingOn.get(dependent);
              if (left === undefined) continue;
              waitingOn.set(dependent, left - 1);
              if (left === 1) enqueue(dependent);
            }
          }
          // The run is over only once every final state is durable.
          outcome.durable.then(settle, reject);
        },
        error: reject,
        complete: resolve,
      });

    // Declaration order among the roots keeps runs reproducible.
    const roots = graph.steps.filter((s) => waitingOn.get(s) === 0);
    outstanding++; // hold the subject open while the roots are pushed
    for (const root of roots) enqueue(root);
    settle();
  });
}
