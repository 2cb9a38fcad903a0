import { Subject, defer, mergeMap } from 'rxjs';
import type { FlowGraph } from '../graph/flow-graph';

export interface ScheduleRequest {
  graph: FlowGraph;
  /** The steps to run; dependencies outside this set are taken as already processed. */
  toRun: ReadonlySet<string>;
  /** Most steps in flight at once (the number of clusters). */
  concurrency: number;
  /** Runs one step; resolves true when it is processed (and durable), false when it failed. */
  execute: (step: string) => Promise<boolean>;
  /** Asked just before a queued step starts; false (fail-fast, cancel) leaves it unstarted. */
  canStart: () => boolean;
}

/**
 * The scheduler: ready steps flow through a Subject into `mergeMap(execute, concurrency)`. A
 * step is pushed the moment its last dependency reports processed, so nothing polls and nothing
 * sleeps; mergeMap's limit is the only throttle. Resolves when no step is running or can start.
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
          (step) => defer(async () => ({ step, processed: req.canStart() ? await req.execute(step) : false })),
          Math.max(1, req.concurrency),
        ),
      )
      .subscribe({
        next: ({ step, processed }) => {
          if (processed) {
            for (const dependent of graph.dependentsOf(step)) {
              const left = waitingOn.get(dependent);
              if (left === undefined) continue;
              waitingOn.set(dependent, left - 1);
              if (left === 1) enqueue(dependent);
            }
          }
          settle();
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
