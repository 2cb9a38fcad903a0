import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster } from '../clusters/cluster';
import { StepState } from '../domain/states';
import type { AttemptChange, StepPatch } from '../persistence/state-store';
import type { StepAttemptEntity } from '../persistence/step-attempt.entity';
import { attemptEnd } from './attempt-end';
import { abortReason } from './abortable';
import { describeError } from './describe-error';
import { now, type StepStateEvent } from '../domain/flow-event';
import type { FlowRun } from './flow-run';
import { isRetryable, retryDelay } from './retry-policy';
import { StepAttempt } from './step-attempt';
import { NOT_PROCESSED, type StepOutcome } from './step-scheduler';

/**
 * Executes one step of a flow run, attempts and retries included, and persists each transition
 * before announcing it. A failed step resolves once its final state is durable. A processed (or
 * noop) step resolves as soon as that state is queued for the next group commit, with its cluster
 * released: the scheduler queues the dependents' in_progress writes into the same commit, and
 * waits for `durable` (see StepOutcome).
 */
export async function executeStep(run: FlowRun, stepName: string): Promise<StepOutcome> {
  const step = run.definition.steps.get(stepName)!;
  const record = run.steps.get(stepName)!;
  // One logger per attempt: a JSON line carries its attempt (a text line has the `attempt N started` line before it).
  const stepLogger = (attempt?: number) =>
    run.scope.logs.stepLogger(run.definition.name, stepName, { timeperiod: run.context.timeperiod, runId: run.context.runId, attempt });
  /**
   * Persists a transition, then logs and announces it; with `onlyIf`, only if that holds when its
   * group commit runs (false then). The event is built field by field: object spreads were a
   * visible share of a no-op step's cost.
   */
  const transition = async (
    patch: StepPatch & { state: StepState },
    extra?: { cluster?: string; error?: string },
    onlyIf?: () => boolean,
    attempt?: AttemptChange,
  ) => {
    if (onlyIf) {
      if (!(await run.store.updateStepIf(record, patch, onlyIf, attempt))) return false;
    } else {
      await run.store.updateStep(record, patch, attempt);
    }
    const { state } = patch;
    run.flowLogger.info(
      `step ${stepName} ${state}${record.attempt > 1 ? ` (attempt ${record.attempt})` : ''}${extra?.error ? `: ${extra.error}` : ''}`,
    );
    const event: StepStateEvent = {
      type: 'step',
      flowName: run.definition.name,
      timeperiod: run.context.timeperiod,
      runId: run.context.runId,
      stepName,
      state,
      attempt: record.attempt,
      at: now(),
    };
    if (extra?.cluster !== undefined) event.cluster = extra.cluster;
    if (extra?.error !== undefined) event.error = extra.error;
    run.scope.emit(event);
    return true;
  };

  if (step.options.skip) {
    const at = new Date();
    stepLogger().info('skipped: recorded as noop');
    const row = newAttempt(run, stepName, 1, null, at);
    const end = attemptEnd(run, row, { state: StepState.NOOP, finishedAt: at, error: null });
    return done(transition({ state: StepState.NOOP, startedAt: at, finishedAt: at, cluster: null }, undefined, undefined, end));
  }

  let cluster: Cluster | undefined;
  try {
    cluster = run.pool.take() ?? (await run.pool.acquire(run.signal));
  } catch (err) {
    // Only when clusters ended mid-run: a cancel while waiting for one leaves the step unstarted.
    if (run.signal.aborted) return NOT_PROCESSED;
    const at = new Date();
    const error = run.scope.redact(describeError(err));
    run.failed = true;
    stepLogger(1).error(`could not start: ${error}`);
    const end = attemptEnd(run, newAttempt(run, stepName, 1, null, at), { state: StepState.INVALID, finishedAt: at, error });
    await transition(
      { state: StepState.INVALID, attempt: 1, startedAt: at, finishedAt: at, error, runId: run.context.runId, cluster: null },
      { error },
      undefined,
      end,
    );
    return NOT_PROCESSED;
  }
  try {
    for (let attempt = 1; ; attempt++) {
      // The first start is written only if the run may still start steps when it is committed: a
      // step that failed (fail-fast) or a cancel in the same turn as this step became ready wins.
      const logger = stepLogger(attempt);
      const start = {
        state: StepState.IN_PROGRESS,
        attempt,
        startedAt: new Date(),
        finishedAt: null,
        error: null,
        runId: run.context.runId,
        // Kept on the step row: an attempt its engine never ends (killed) is recorded from that row.
        cluster: cluster.name,
      };
      // Its row is inserted, finished, with the transition that ends the attempt (one write per
      // attempt); while it runs, the history reads it from the step row.
      const row = newAttempt(run, stepName, attempt, cluster.name, start.startedAt);
      if (!(await transition(start, { cluster: cluster.name }, attempt === 1 ? run.canStart : undefined))) return NOT_PROCESSED;
      logger.info(`attempt ${attempt} started on cluster ${cluster.name}`);
      const telemetry = run.telemetry.attemptStarted(stepName, attempt, cluster.name);
      const started = performance.now();
      try {
        // Settles within the grace period of an abort, whatever the step's code does (see StepAttempt).
        await StepAttempt.start(
          { step, attempt, execution: run.context, logger, cluster, runSignal: run.signal, telemetry },
          run.scope,
        ).run();
        telemetry.processed();
        const took = `${(performance.now() - started).toFixed(1)} ms`;
        const finishedAt = new Date();
        const end = attemptEnd(run, row, { state: StepState.PROCESSED, finishedAt, error: null });
        const durable = transition({ state: StepState.PROCESSED, finishedAt }, undefined, undefined, end);
        // Said once it is durable: an engine that lost its lease meanwhile (paused, cut off) did the
        // work, but the step is not processed, and its log must not say it is.
        durable.then(
          () => logger.info(`processed in ${took}`),
          (err: unknown) => logger.warn(`completed in ${took}, but not recorded processed: ${run.scope.redact(describeError(err))}`),
        );
        return done(durable);
      } catch (err) {
        let error = run.scope.redact(describeError(err));
        // What ended the step: the attempt's error, or why no cluster was left for its retry.
        let failure = err;
        if (!run.signal.aborted && attempt <= (step.options.retries ?? 0) && isRetryable(err, step.options)) {
          const delayMs = retryDelay(step.options, attempt);
          logger.warn(`attempt ${attempt} failed, retrying in ${delayMs} ms: ${error}`);
          telemetry.retried(err, delayMs);
          // The row keeps why the last attempt failed while the step waits for the next one; that
          // attempt's own row ends invalid, in the same commit, before the next attempt's starts.
          await run.store.updateStep(record, { error }, attemptEnd(run, row, { state: StepState.INVALID, finishedAt: new Date(), error }));
          run.scope.emit({
            type: 'retry',
            flowName: run.definition.name,
            timeperiod: run.context.timeperiod,
            runId: run.context.runId,
            stepName,
            attempt,
            delayMs,
            error,
            at: now(),
          });
          if (await waitOrCancel(delayMs, run.signal)) {
            try {
              cluster = await clusterForRetry(run, cluster);
              continue;
            } catch (acquireErr) {
              cluster = undefined;
              failure = acquireErr;
              error = run.scope.redact(describeError(acquireErr));
            }
          } else {
            error = run.scope.redact(describeError(abortReason(run.signal)));
          }
        }
        const canceled = run.signal.aborted;
        telemetry.failed(canceled ? StepState.CANCELED : StepState.INVALID, failure);
        // Known at once, before the transition is durable: starts queued in this same turn are dropped (fail-fast).
        run.failed = true;
        logger.error(`${canceled ? 'canceled' : 'failed'} after ${(performance.now() - started).toFixed(1)} ms: ${error}`);
        const ended = { state: canceled ? StepState.CANCELED : StepState.INVALID, finishedAt: new Date(), error };
        // A retry that never started (cancelled while waiting) leaves the failed attempt's row as it ended.
        const end = row.state === StepState.IN_PROGRESS ? attemptEnd(run, row, ended) : undefined;
        await transition(ended, { error }, undefined, end);
        return NOT_PROCESSED;
      }
    }
  } finally {
    if (cluster) run.pool.release(cluster);
  }
}

/**
 * The cluster a retry runs on: the same one, unless it ended under the last attempt (an EMR
 * cluster that terminated): then the pool retires it and the retry waits for a live one.
 */
async function clusterForRetry(run: FlowRun, cluster: Cluster): Promise<Cluster> {
  if (cluster.endedBecause === undefined) return cluster;
  run.pool.release(cluster);
  return run.pool.acquire(run.signal);
}

/**
 * The row of a step's attempt that started, in_progress, kept in memory as the step's latest until
 * the attempt ends and the row is inserted.
 */
function newAttempt(run: FlowRun, stepName: string, attempt: number, cluster: string | null, startedAt: Date): StepAttemptEntity {
  // A plain object of the entity's shape: its fields are all the insert reads.
  const row: StepAttemptEntity = {
    // Given when the attempt ends (attemptEnd).
    id: 0,
    runId: run.context.runId,
    flowName: run.definition.name,
    timeperiod: run.context.timeperiod,
    stepName,
    attempt,
    state: StepState.IN_PROGRESS,
    cluster,
    startedAt,
    finishedAt: null,
    error: null,
  };
  run.attempts.set(stepName, row);
  return row;
}

function done(durable: Promise<unknown>): StepOutcome {
  // Handled here too: if the run is torn down before the scheduler reads this outcome, a failed
  // commit must not become an unhandled rejection (the scheduler still sees it when it reads it).
  durable.catch(() => undefined);
  return { processed: true, durable };
}

/** Sleeps before a retry; false if the run was cancelled meanwhile. */
async function waitOrCancel(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
