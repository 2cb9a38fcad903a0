import type { EntityManager } from 'typeorm';
import { StepState } from '../../domain/states';
import { StepEntity } from '../step.entity';
import { StepAttemptEntity } from '../step-attempt.entity';
import { attemptsOfRuns } from './attempts-of-runs';
import { firstAttemptIdOf, IN_FLIGHT_OFFSET, runNumberOf } from './attempt-ids';

/** Rows per insert: far below every driver's bound on the parameters of one statement. */
const INSERT_CHUNK = 200;

/** The run whose attempts in flight are asked for: its `flow_run` row's key fields. */
export interface RunOfAttempts {
  runId: string;
  flowName: string;
  timeperiod: string;
  startedAt: Date;
}

/** How the attempts in flight of a run that ended without recording them end. */
export type AttemptEnd = Pick<StepAttemptEntity, 'state' | 'finishedAt' | 'error'>;

/**
 * The id of an attempt still in flight, which has no `step_attempt` row yet (the engine inserts it,
 * finished, when the attempt ends, with an id of its run's range): the negative of its step row's
 * id. A step row has at most one attempt in flight, and real ids are positive, so the two never
 * meet, and two runs listed together never show the same id.
 */
export function inFlightAttemptId(stepRowId: number): number {
  return -stepRowId;
}

/**
 * The attempts of `run` still in flight, read from its step rows: a step row in_progress that
 * this run started (its runId; not one an older run left so) whose attempt has no row of `recorded`. A step
 * waiting for its retry is in_progress with its failed attempt already recorded: nothing in flight.
 */
export function inFlightAttempts(
  run: RunOfAttempts,
  steps: readonly StepEntity[],
  recorded: readonly Pick<StepAttemptEntity, 'stepName' | 'attempt'>[],
): StepAttemptEntity[] {
  const done = new Set(recorded.map((a) => `${a.attempt}\u0000${a.stepName}`));
  return steps
    .filter(
      (s) =>
        s.state === StepState.IN_PROGRESS && s.startedAt !== null && s.runId === run.runId && !done.has(`${s.attempt}\u0000${s.stepName}`),
    )
    .map((s) =>
      Object.assign(new StepAttemptEntity(), {
        id: inFlightAttemptId(s.id),
        runId: run.runId,
        flowName: run.flowName,
        timeperiod: run.timeperiod,
        stepName: s.stepName,
        attempt: s.attempt,
        state: StepState.IN_PROGRESS,
        // Written with the attempt's start (null on a row of a release before).
        cluster: s.cluster,
        startedAt: s.startedAt!,
        finishedAt: null,
        error: null,
      }),
    );
}

/**
 * The step rows in_progress of the run's [flow, timeperiod] (inFlightAttempts keeps those of the
 * run), or only `stepName`'s: one key of the step table's unique index instead of every step's.
 */
export function stepsInProgress(
  manager: EntityManager,
  run: Pick<RunOfAttempts, 'flowName' | 'timeperiod'>,
  stepName?: string,
): Promise<StepEntity[]> {
  return manager.find(StepEntity, {
    where: {
      flowName: run.flowName,
      timeperiod: run.timeperiod,
      state: StepState.IN_PROGRESS,
      ...(stepName !== undefined && { stepName }),
    },
    order: { id: 'ASC' },
  });
}

/**
 * Inserts, ended as `end` says, the attempt rows of `run` that its engine never wrote because they
 * were still in flight when it stopped (killed, lease taken over, forced to give up): so the
 * history keeps every attempt. Runs inside the caller's transaction, before the step rows change.
 */
export async function recordInFlightAttempts(manager: EntityManager, run: RunOfAttempts, end: AttemptEnd): Promise<void> {
  const steps = await stepsInProgress(manager, run);
  if (steps.length === 0) return;
  const [ofRun] = attemptsOfRuns(manager.connection, [run.runId]);
  const recorded = await manager.find(StepAttemptEntity, { select: { stepName: true, attempt: true }, where: ofRun });
  const rows = inFlightAttempts(run, steps, recorded).map((row) => Object.assign(row, end));
  if (rows.length === 0) return;
  // Above the ids its engine gave (it may have ended attempts up to the last moment), in the
  // order of their step rows; after those recorded here before, if any.
  const first = firstAttemptIdOf(await runNumberOf(manager, run.runId)) + IN_FLIGHT_OFFSET;
  const [{ last }] = await manager
    .createQueryBuilder(StepAttemptEntity, 'a')
    .select('MAX(a.id)', 'last')
    .where('a.id >= :first AND a.id < :end', { first, end: first + IN_FLIGHT_OFFSET })
    .getRawMany<{ last: number | string | null }>();
  const next = last === null ? first : Number(last) + 1;
  rows.forEach((row, i) => (row.id = next + i));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await manager.insert(StepAttemptEntity, rows.slice(i, i + INSERT_CHUNK));
}
