import { filter, firstValueFrom, type Observable } from 'rxjs';
import type { FlowEvent } from '../domain/flow-event';
import type { FlowRunResult } from '../engine/run-options';
import type { RunMode } from '../persistence/flow.entity';

export interface RunStarted {
  flowName: string;
  timeperiod: string;
  runMode: RunMode;
  /** The run's id, as its events, logs and history name it; absent if the run failed before it started. */
  runId?: string;
  state: 'in_progress';
}

/**
 * Starts a run without waiting for it to finish. It resolves once the engine announces the run
 * in progress, i.e. after the request was validated, the lock taken and the rows set up, and
 * rejects with the engine's own error (FlowLockedError, StepBlockedError...) if it never gets
 * there. The engine records the run's outcome itself; the request does not wait for it.
 */
export async function launchRun(
  events$: Observable<FlowEvent>,
  request: { flowName: string; timeperiod: string; runMode: RunMode },
  start: () => Promise<FlowRunResult>,
): Promise<RunStarted> {
  const { flowName, timeperiod, runMode } = request;
  // subscribed before the run starts: the event is emitted synchronously inside it
  const started = firstValueFrom(
    events$.pipe(filter((e) => e.type === 'flow' && e.state === 'in_progress' && e.flowName === flowName && e.timeperiod === timeperiod)),
    { defaultValue: undefined },
  );
  const running = start();
  // the outcome is persisted and announced by the engine; an exception here has been recorded already
  running.catch(() => undefined);
  const first = await Promise.race([started, running]);
  const runId = first && 'runId' in first ? first.runId : undefined;
  return { flowName, timeperiod, runMode, ...(runId !== undefined && { runId }), state: 'in_progress' };
}
