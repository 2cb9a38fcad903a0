import { In, LessThan, type DataSource, type EntityManager } from 'typeorm';
import { FlowEntity, type RunMode } from './flow.entity';
import { StepEntity } from './step.entity';
import { databaseText } from './database-text';
import { FlowState, StepState } from '../domain/states';
import { RowInsertStatements } from './row-insert.statement';
import type { StateWriter } from '../domain/state-writer.port';
import { createStateWriter } from './state-writer.factory';
import type { LeaseFence } from './lease/lease-fence';
import { DEFAULT_LEASE_TTL_MS } from './lease/lease-options';

const INSERT_CHUNK = 200;

/** A step's state in one timeperiod, as the grid reads it. */
export interface StepStateRow {
  stepName: string;
  timeperiod: string;
  state: StepState;
  attempt: number;
}

/** What a step transition may change of its row. */
export type StepPatch = Partial<Pick<StepEntity, 'state' | 'attempt' | 'startedAt' | 'finishedAt' | 'error'>>;

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
}

/** What a step left in_progress by a run that ended reads as (see finishFlow). */
export const UNRECORDED_STEP_ERROR = "the run ended before this step's final state was recorded; recover runs it again";

/** Everything the engine reads and writes about flow runs, in the shape of the two tables. */
export class StateStore {
  private readonly inserts: RowInsertStatements;
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
    return this.dataSource.getRepository(StepEntity).find({ where: { flowName, timeperiod }, order: { id: 'ASC' } });
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
   * 2,000-step flow is 60,000 rows, which TypeORM would take seconds to turn into entities.
   */
  async findStepStatesOf(flowName: string, timeperiods: readonly string[]): Promise<StepStateRow[]> {
    if (timeperiods.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(StepEntity)
      .createQueryBuilder('step')
      .select('step.stepName', 'stepName')
      .addSelect('step.timeperiod', 'timeperiod')
      .addSelect('step.state', 'state')
      .addSelect('step.attempt', 'attempt')
      .where('step.flowName = :flowName', { flowName })
      .andWhere('step.timeperiod IN (:...timeperiods)', { timeperiods: [...timeperiods] })
      .getRawMany<StepStateRow>();
    // PostgreSQL drivers may hand integers over as text
    return rows.map((row) => ({ ...row, attempt: Number(row.attempt) }));
  }

  /**
   * Sets a run up in one transaction: the flow row (found or created) goes in_progress, step rows
   * are purged / reset / created as asked. Returns every step row of the run.
   */
  async prepareRun(req: PrepareRunRequest): Promise<{ flow: FlowEntity; steps: Map<string, StepEntity> }> {
    return this.writer.exclusive(async (manager) => {
      const now = new Date();
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
      const existing = req.purge ? [] : await stepRepo.find({ where: { flowId: flow.id } });
      const steps = new Map(existing.map((s) => [s.stepName, s]));
      const toReset = existing.filter((s) => req.reset.has(s.stepName)).map((s) => s.id);
      for (let i = 0; i < toReset.length; i += INSERT_CHUNK) {
        await stepRepo.update({ id: In(toReset.slice(i, i + INSERT_CHUNK)) }, resetPatch());
      }
      for (const s of existing) if (req.reset.has(s.stepName)) Object.assign(s, resetPatch());
      const missing = req.stepNames.filter((name) => !steps.has(name));
      await this.insertSteps(manager, flow, missing, now, steps);
      return { flow, steps };
    }, this.fence);
  }

  /** Runs `work` in its own transaction, in turn with the state writes (the flow lease writes this way). */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.writer.exclusive(work);
  }

  /**
   * Queues a step transition for the next group commit; resolves (true) once it is durable.
   * Returns the writer's own promise, as updateStepIf does: transitions committed together are
   * then announced in the order they were queued.
   */
  updateStep(step: StepEntity, patch: StepPatch): Promise<boolean> {
    patch = safeText(patch);
    Object.assign(step, patch);
    return this.writer.update({ entity: StepEntity, id: step.id, patch, fence: this.fence });
  }

  /**
   * Queues a step transition that is written only if `onlyIf` still holds when its group commit
   * runs: resolves true once it is durable, false (and the row and `step` unchanged) if not.
   */
  updateStepIf(step: StepEntity, patch: StepPatch, onlyIf: () => boolean): Promise<boolean> {
    patch = safeText(patch);
    return this.writer.update({ entity: StepEntity, id: step.id, patch, fence: this.fence }, () => {
      if (!onlyIf()) return false;
      Object.assign(step, patch);
      return true;
    });
  }

  /**
   * Records the flow's final state. A run that ends invalid may have left steps in_progress (a
   * write that failed, a step still running when the run gave up): in the same transaction they
   * become invalid, so no step of a finished run reads as running and `recover` runs them again.
   */
  finishFlow(flow: FlowEntity, state: FlowState): Promise<boolean> {
    const patch = { state, finishedAt: new Date() };
    Object.assign(flow, patch);
    if (state !== FlowState.INVALID) return this.writer.update({ entity: FlowEntity, id: flow.id, patch, fence: this.fence });
    const leftover = { state: StepState.INVALID, finishedAt: patch.finishedAt, error: UNRECORDED_STEP_ERROR };
    const write = async (manager: EntityManager) => {
      await manager.update(StepEntity, { flowName: flow.flowName, timeperiod: flow.timeperiod, state: StepState.IN_PROGRESS }, leftover);
      await manager.update(FlowEntity, { id: flow.id }, patch);
    };
    return this.writer.enqueue(write, this.fence).then(() => true);
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

function resetPatch() {
  return { state: StepState.EMBRYO, attempt: 0, startedAt: null, finishedAt: null, error: null };
}
