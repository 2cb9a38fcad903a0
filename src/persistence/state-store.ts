import { In, LessThan, type DataSource, type EntityManager } from 'typeorm';
import { FlowEntity, type RunMode } from './flow.entity';
import { StepEntity } from './step.entity';
import { databaseText } from './database-text';
import { valueConverter } from './value-converter';
import { FlowState, StepState } from '../domain/states';
import { RowInsertStatements } from './row-insert.statement';
import { StepRowsReader } from './step-rows.reader';
import type { StateWriter } from '../domain/state-writer.port';
import { createStateWriter } from './state-writer.factory';
import type { LeaseFence } from './lease/lease-fence';
import { DEFAULT_LEASE_TTL_MS } from './lease/lease-defaults';
import { thisProcess } from './lease/process-identity';
import { attemptsOfRuns } from './history/attempts-of-runs';
import { firstAttemptIdOf, newRunNumber } from './history/attempt-ids';
import { recordInFlightAttempts } from './history/in-flight-attempts';
import { FlowRunEntity } from './flow-run.entity';
import { StepAttemptEntity } from './step-attempt.entity';
import type { RunTrigger } from '../domain/run-id';

const INSERT_CHUNK = 200;

/** A step's state in one timeperiod, as the grid reads it. */
export interface StepStateRow {
  stepName: string;
  timeperiod: string;
  state: StepState;
  attempt: number;
}

/** What a step transition may change of its row. */
export type StepPatch = Partial<Pick<StepEntity, 'state' | 'attempt' | 'startedAt' | 'finishedAt' | 'error' | 'runId' | 'cluster'>>;

/** What the end of an attempt changes of its `step_attempt` row. */
export type AttemptPatch = Pick<StepAttemptEntity, 'state' | 'finishedAt' | 'error'>;

/**
 * The end of an attempt, written with the step transition that ends it, in the same group commit:
 * its `step_attempt` row is inserted then, once, finished. While the attempt runs it has no row:
 * the history reads it from the step row (in-flight-attempts.ts), and whoever ends a run its engine
 * left behind records it (closeAbandonedRuns, finishFlow).
 */
export type AttemptChange = { end: StepAttemptEntity; patch: AttemptPatch };

/** Who ran a run and why, for its `flow_run` row. */
export interface RunHistoryRequest {
  runId: string;
  trigger: RunTrigger;
  /** The step of run_one / run_from. */
  stepName: string | null;
}

export interface PrepareRunRequest {
  flowName: string;
  timeperiod: string;
  startTimeperiod: string | null;
  endTimeperiod: string | null;
  runMode: RunMode;
  /** Every step of the flow, in declaration order (rows are created for the missing ones). */
  stepNames: readonly string[];
  /** Steps to reset to embryo (their previous state, attempt and times are cleared). */
  reset: ReadonlySet<string>;
  /** `run` deletes the flow's old step records first (the seed's purge). */
  purge: boolean;
  /** The run's `flow_run` row, inserted in the same transaction (the engine always gives it). */
  history?: RunHistoryRequest;
}

/** A run set up: its flow row, every step row, and the first id of its attempt rows (null without `history`). */
export interface PreparedRun {
  flow: FlowEntity;
  steps: Map<string, StepEntity>;
  firstAttemptId: number | null;
}

/** What a step left in_progress by a run that ended reads as (see finishFlow). */
export const UNRECORDED_STEP_ERROR = "the run ended before this step's final state was recorded; recover runs it again";

/** What a run whose engine died (or lost its lease) before it recorded its end reads as in the history. */
export const ABANDONED_RUN_ERROR = 'its engine stopped before recording how the run ended (killed, or its lease was taken over)';

/** Everything the engine reads and writes about flow runs, in the shape of the two tables. */
export class StateStore {
  private readonly inserts: RowInsertStatements;
  private readonly stepRows: StepRowsReader;
  /** The run's lease, in a store made by fencedBy(): every write proves it is still held. */
  private fence: LeaseFence | undefined;

  /**
   * @param writer every write goes through it (see the StateWriter contract); bootstrap gives the
   * one chosen for the database, with the lease TTL as its outage budget.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: StateWriter<EntityManager> = createStateWriter(dataSource, { outageMs: DEFAULT_LEASE_TTL_MS }),
  ) {
    this.inserts = new RowInsertStatements(dataSource);
    this.stepRows = new StepRowsReader(dataSource);
  }

  /**
   * This store for one run: same connection and group commits, and every write it makes (set-up,
   * transitions, the flow's end) is made only while `fence` - the run's lease - is still held.
   */
  fencedBy(fence: LeaseFence): StateStore {
    // A view on this very store (its writer is shared: one group commit for every run).
    const fenced = Object.create(this) as StateStore;
    fenced.fence = fence;
    return fenced;
  }

  findFlow(flowName: string, timeperiod: string): Promise<FlowEntity | null> {
    return this.dataSource.getRepository(FlowEntity).findOneBy({ flowName, timeperiod });
  }

  findSteps(flowName: string, timeperiod: string): Promise<StepEntity[]> {
    return this.stepRows.ofRun(flowName, timeperiod);
  }

  findRuns(flowName: string, options: { limit?: number; offset?: number; before?: string } = {}): Promise<FlowEntity[]> {
    return this.dataSource.getRepository(FlowEntity).find({
      where: options.before === undefined ? { flowName } : { flowName, timeperiod: LessThan(options.before) },
      order: { timeperiod: 'DESC' },
      take: options.limit,
      skip: options.offset,
    });
  }

  /**
   * The state and attempt count of every step of several timeperiods of a flow, in one query (the
   * viewer's grid). Plain rows of four columns, not entities: a grid of 30 timeperiods of a
   * 2,000-step flow is 60,000 rows, which TypeORM would take seconds to turn into entities. With
   * `changedSince`, only the steps whose start or end was stamped then or later: every change of a
   * step's state stamps one of them, so a follower of a big run reads the few that moved, not all.
   */
  async findStepStatesOf(flowName: string, timeperiods: readonly string[], changedSince?: Date): Promise<StepStateRow[]> {
    if (timeperiods.length === 0) return [];
    const query = this.dataSource
      .getRepository(StepEntity)
      .createQueryBuilder('step')
      .select('step.stepName', 'stepName')
      .addSelect('step.timeperiod', 'timeperiod')
      .addSelect('step.state', 'state')
      .addSelect('step.attempt', 'attempt')
      .where('step.flowName = :flowName', { flowName })
      .andWhere('step.timeperiod IN (:...timeperiods)', { timeperiods: [...timeperiods] });
    if (changedSince) {
      const finishedAt = this.dataSource.getMetadata(StepEntity).findColumnWithPropertyName('finishedAt')!;
      // As the columns store it (SQLite keeps text): compared by the database, as written.
      const since = valueConverter(this.dataSource, finishedAt)(changedSince);
      query.andWhere('(step.startedAt >= :since OR step.finishedAt >= :since)', { since });
    }
    const rows = await query.getRawMany<StepStateRow>();
    // PostgreSQL drivers may hand integers over as text
    return rows.map((row) => ({ ...row, attempt: Number(row.attempt) }));
  }

  /**
   * Sets a run up in one transaction: the flow row (found or created) goes in_progress, step rows
   * are purged / reset / created as asked. Returns every step row of the run.
   */
  async prepareRun(req: PrepareRunRequest): Promise<PreparedRun> {
    return this.writer.exclusive(async (manager) => {
      const now = new Date();
      let firstAttemptId: number | null = null;
      if (req.history) {
        await this.closeAbandonedRuns(manager, req, now);
        const runNumber = await newRunNumber(manager);
        await manager.insert(FlowRunEntity, newRunRow(req, req.history, now, runNumber));
        firstAttemptId = firstAttemptIdOf(runNumber);
      }
      const flows = manager.getRepository(FlowEntity);
      let flow = await flows.findOneBy({ flowName: req.flowName, timeperiod: req.timeperiod });
      if (!flow) {
        flow = flows.create({ flowName: req.flowName, timeperiod: req.timeperiod, createdAt: now });
      }
      Object.assign(flow, {
        startTimeperiod: req.startTimeperiod,
        endTimeperiod: req.endTimeperiod,
        runMode: req.runMode,
        state: FlowState.IN_PROGRESS,
        startedAt: now,
        finishedAt: null,
      });
      flow = await flows.save(flow);

      const stepRepo = manager.getRepository(StepEntity);
      if (req.purge) await stepRepo.delete({ flowId: flow.id });
      const existing = req.purge ? [] : await this.stepRows.ofFlow(flow.id, manager);
      const steps = new Map(existing.map((s) => [s.stepName, s]));
      const toReset = existing.filter((s) => req.reset.has(s.stepName)).map((s) => s.id);
      for (let i = 0; i < toReset.length; i += INSERT_CHUNK) {
        await stepRepo.update({ id: In(toReset.slice(i, i + INSERT_CHUNK)) }, resetPatch());
      }
      for (const s of existing) if (req.reset.has(s.stepName)) Object.assign(s, resetPatch());
      const missing = req.stepNames.filter((name) => !steps.has(name));
      await this.insertSteps(manager, flow, missing, now, steps);
      return { flow, steps, firstAttemptId };
    }, this.fence);
  }

  /** Runs `work` in its own transaction, in turn with the state writes (the flow lease writes this way). */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.writer.exclusive(work);
  }

  /**
   * Queues a step transition for the next group commit; resolves (true) once it is durable.
   * Returns the writer's own promise, as updateStepIf does: transitions committed together are
   * then announced in the order they were queued. `attempt` is written in the same commit.
   */
  updateStep(step: StepEntity, patch: StepPatch, attempt?: AttemptChange): Promise<boolean> {
    patch = safeText(patch);
    Object.assign(step, patch);
    const written = this.writer.update({ entity: StepEntity, id: step.id, patch, fence: this.fence });
    if (attempt) this.queueAttempt(attempt);
    return written;
  }

  /**
   * Queues a step transition that is written only if `onlyIf` still holds when its group commit
   * runs: resolves true once it is durable, false (and the row and `step` unchanged) if not.
   * `attempt` is written in the same commit, if and only if the transition is.
   */
  updateStepIf(step: StepEntity, patch: StepPatch, onlyIf: () => boolean, attempt?: AttemptChange): Promise<boolean> {
    patch = safeText(patch);
    let kept = false;
    const written = this.writer.update({ entity: StepEntity, id: step.id, patch, fence: this.fence }, () => {
      if (!onlyIf()) return false;
      Object.assign(step, patch);
      return (kept = true);
    });
    // Asked after the step's own condition, in the same commit: the two rows go together or not at all.
    if (attempt) this.queueAttempt(attempt, () => kept);
    return written;
  }

  /**
   * Records the flow's final state, and its run's (`flow_run`, with `error`). A run that ends
   * invalid may have left steps in_progress (a write that failed, a step still running when the
   * run gave up): in the same transaction they become invalid, and their attempts in flight (`attempts`,
   * the run's latest rows in memory) are inserted invalid, so no step of a finished run reads as
   * running, `recover` runs them again, and the history keeps every attempt.
   */
  finishFlow(
    flow: FlowEntity,
    state: FlowState,
    run?: { runId: string; error?: string; attempts?: Iterable<StepAttemptEntity> },
  ): Promise<boolean> {
    const patch = { state, finishedAt: new Date() };
    Object.assign(flow, patch);
    const runPatch = { ...patch, error: run?.error === undefined ? null : databaseText(run.error) };
    if (state !== FlowState.INVALID) {
      const written = this.writer.update({ entity: FlowEntity, id: flow.id, patch, fence: this.fence });
      if (run) this.writer.update({ entity: FlowRunEntity, id: run.runId, patch: runPatch, fence: this.fence }).catch(() => undefined);
      return written;
    }
    const leftover = { state: StepState.INVALID, finishedAt: patch.finishedAt, error: UNRECORDED_STEP_ERROR };
    // This write records the attempts still in flight (from their step rows): one that ends later
    // must not insert its row a second time.
    for (const attempt of run?.attempts ?? []) if (attempt.state === StepState.IN_PROGRESS) Object.assign(attempt, leftover);
    // The run's own start (set by prepareRun): attempts of older runs left in_progress are not this run's.
    const startedAt = flow.startedAt ?? patch.finishedAt;
    const write = async (manager: EntityManager) => {
      if (run) {
        // Before the step rows change: they say which attempts were in flight.
        await recordInFlightAttempts(
          manager,
          { runId: run.runId, flowName: flow.flowName, timeperiod: flow.timeperiod, startedAt },
          leftover,
        );
        await manager.update(FlowRunEntity, { runId: run.runId }, runPatch);
      }
      await manager.update(StepEntity, { flowName: flow.flowName, timeperiod: flow.timeperiod, state: StepState.IN_PROGRESS }, leftover);
      await manager.update(FlowEntity, { id: flow.id }, patch);
    };
    return this.writer.enqueue(write, this.fence).then(() => true);
  }

  /**
   * Runs of this [flow, timeperiod] still in_progress when a new one sets up (the lease is ours, so
   * none of them is alive: its engine died or lost the lease) end invalid, with their running
   * attempts, so the history never shows a dead run as running.
   */
  private async closeAbandonedRuns(manager: EntityManager, req: PrepareRunRequest, now: Date): Promise<void> {
    const abandoned = await manager.find(FlowRunEntity, {
      select: { runId: true, flowName: true, timeperiod: true, startedAt: true },
      where: { flowName: req.flowName, timeperiod: req.timeperiod, state: FlowState.IN_PROGRESS },
      order: { startedAt: 'DESC' },
    });
    if (abandoned.length === 0) return;
    const runIds = abandoned.map((r) => r.runId);
    const ended = { state: FlowState.INVALID, finishedAt: now, error: ABANDONED_RUN_ERROR };
    // The step rows still in_progress are the newest run's attempts in flight: none has a row yet.
    await recordInFlightAttempts(manager, abandoned[0], { ...ended, state: StepState.INVALID });
    // A run of the previous release inserted its attempt rows in_progress when they started.
    for (const ofRun of attemptsOfRuns(this.dataSource, runIds))
      await manager.update(StepAttemptEntity, { ...ofRun, state: StepState.IN_PROGRESS }, { ...ended, state: StepState.INVALID });
    await manager.update(FlowRunEntity, { runId: In(runIds) }, ended);
  }

  /**
   * Queues the insert of a finished attempt's row for the group commit of the step transition
   * queued just before. Once per attempt: an attempt already ended (a forced shutdown recorded it
   * canceled, then the step's own end came) keeps the row it has.
   */
  private queueAttempt(change: AttemptChange, onlyIf?: () => boolean): void {
    const row = change.end;
    if (row.state !== StepState.IN_PROGRESS) return;
    Object.assign(row, safeAttempt(change.patch));
    // Its step transition's promise, of the same commit, tells the caller of a failure.
    this.writer.insertWithPrevious(
      { entity: StepAttemptEntity, row: row as unknown as Record<string, unknown>, fence: this.fence },
      onlyIf,
    );
  }

  private async insertSteps(
    manager: EntityManager,
    flow: FlowEntity,
    names: readonly string[],
    now: Date,
    into: Map<string, StepEntity>,
  ): Promise<void> {
    const repo = manager.getRepository(StepEntity);
    // Built as plain instances: the entity has only plain columns, so this is what repo.create()
    // makes, without TypeORM's transformer walking every column of every row.
    const rows = names.map((stepName) =>
      Object.assign(new StepEntity(), {
        flowId: flow.id,
        flowName: flow.flowName,
        stepName,
        timeperiod: flow.timeperiod,
        createdAt: now,
        ...resetPatch(),
      }),
    );
    if (this.inserts.supports(StepEntity)) {
      await this.inserts.insert(manager, StepEntity, rows, 'stepName');
    } else {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await repo.insert(rows.slice(i, i + INSERT_CHUNK));
    }
    for (const row of rows) into.set(row.stepName, row);
  }
}

/** The patch with its free text (the error) as every database accepts it, so the row and the record agree. */
function safeText(patch: StepPatch): StepPatch {
  return typeof patch.error === 'string' ? { ...patch, error: databaseText(patch.error) } : patch;
}

/** The `flow_run` row of a run that starts now, in_progress, on this host and process. */
function newRunRow(req: PrepareRunRequest, history: RunHistoryRequest, now: Date, runNumber: number): FlowRunEntity {
  return Object.assign(new FlowRunEntity(), {
    runId: history.runId,
    flowName: req.flowName,
    timeperiod: req.timeperiod,
    runMode: req.runMode,
    stepName: history.stepName,
    trigger: history.trigger,
    state: FlowState.IN_PROGRESS,
    host: thisProcess.host,
    pid: thisProcess.pid,
    instanceId: thisProcess.instanceId,
    startedAt: now,
    finishedAt: null,
    error: null,
    runNumber,
  });
}

/** An attempt row or patch with its error as every database accepts it. */
function safeAttempt<T extends { error: string | null }>(fields: T): T {
  return typeof fields.error === 'string' ? { ...fields, error: databaseText(fields.error) } : fields;
}

function resetPatch() {
  return { state: StepState.EMBRYO, attempt: 0, startedAt: null, finishedAt: null, error: null, runId: null, cluster: null };
}
