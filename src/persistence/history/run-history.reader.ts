import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { AttemptRowsReader } from './attempt-rows.reader';
import { inFlightAttempts, stepsInProgress } from './in-flight-attempts';
import { FlowState } from '../../domain/states';
import type { ActiveRunRecord, FlowRunRecord, FlowRunSummary } from '../../domain/flow-run-record';
import type { StepAttemptRecord } from '../../domain/step-attempt-record';
import { RunNotFoundError } from '../../errors';
import { nowMillisSql } from '../database-clock';
import { FlowLeaseRecord } from '../flow-lease.entity';
import { FlowRunEntity } from '../flow-run.entity';
import { engineGone } from './engine-gone';
import type { StepEntity } from '../step.entity';
import type { HistoryOptions } from './history-query.options';
import { valueConverter } from '../value-converter';

/**
 * Reads run history: a flow's runs newest first (one query), with their attempts (one more query
 * for all of them, never one per run). Reads only: they go straight to the database, beside the
 * state writer's commits.
 */
export class RunHistoryReader {
  private readonly attemptRows: AttemptRowsReader;

  constructor(private readonly dataSource: DataSource) {
    this.attemptRows = new AttemptRowsReader(dataSource);
  }

  /**
   * The flow's runs, newest first (by start time, then id), at most `limit`, of one timeperiod if
   * asked, and only those older than the run `before` (which must be a run of this flow); each with
   * its attempts, only those of `step` if asked.
   */
  async list(flowName: string, options: HistoryOptions & { limit: number }): Promise<FlowRunRecord[]> {
    return this.withAttempts(await this.runsOf(flowName, options), options.step);
  }

  /** What list() reads, without the attempts: one query, however many steps the runs had. */
  async summaries(flowName: string, options: HistoryOptions & { limit: number }): Promise<FlowRunSummary[]> {
    return (await this.runsOf(flowName, options)).map((row) => ({ ...row }));
  }

  private async runsOf(flowName: string, options: HistoryOptions & { limit: number }): Promise<FlowRunEntity[]> {
    const runs = this.dataSource.getRepository(FlowRunEntity);
    const query = runs.createQueryBuilder('r').where('r.flowName = :flowName', { flowName });
    if (options.timeperiod !== undefined) query.andWhere('r.timeperiod = :timeperiod', { timeperiod: options.timeperiod });
    if (options.before !== undefined) {
      await this.assertRunOf(options.before, flowName);
      // Compared with the row's own started_at, in the database: no date goes through a conversion.
      const startOf = query.subQuery().select('b.started_at').from(FlowRunEntity, 'b').where('b.id = :before').getQuery();
      query.andWhere(`(r.startedAt < ${startOf} OR (r.startedAt = ${startOf} AND r.runId < :before))`, { before: options.before });
    }
    return query.orderBy('r.startedAt', 'DESC').addOrderBy('r.runId', 'DESC').limit(options.limit).getMany();
  }

  /**
   * The runs of these flows that are in progress (whichever engine runs them: their rows say so)
   * or ended at `endedSince` or later, oldest first, without their attempts, each in progress with
   * whether its engine is dead. Both conditions are read through the index on finished_at, however
   * long the history; the leases through their primary key.
   */
  async active(flowNames: readonly string[], endedSince: Date): Promise<ActiveRunRecord[]> {
    if (flowNames.length === 0) return [];
    const finishedAt = this.dataSource.getMetadata(FlowRunEntity).findColumnWithPropertyName('finishedAt')!;
    // As the column stores it (SQLite keeps text): compared by the database, as written.
    const since = valueConverter(this.dataSource, finishedAt)(endedSince);
    const query = this.runsWithLeases()
      .where('(r.finishedAt IS NULL OR r.finishedAt >= :since)', { since })
      .andWhere('r.flowName IN (:...flowNames)', { flowNames: [...flowNames] })
      .orderBy('r.startedAt', 'ASC')
      .addOrderBy('r.runId', 'ASC');
    return judged(query);
  }

  /**
   * The run of [flow, timeperiod] in progress, as active() lists it (the same engineGone), or null
   * when none is: what a page that shows one run reads after each event, through the index on
   * [flow_name, timeperiod, started_at], however many runs of other flows are in progress.
   */
  async activeOne(flowName: string, timeperiod: string): Promise<ActiveRunRecord | null> {
    const query = this.runsWithLeases()
      .where('r.flowName = :flowName AND r.timeperiod = :timeperiod AND r.finishedAt IS NULL', { flowName, timeperiod })
      // Only the newest can be running: another run's set-up closes the older ones.
      .orderBy('r.startedAt', 'DESC')
      .addOrderBy('r.runId', 'DESC')
      .limit(1);
    const [run] = await judged(query);
    return run ?? null;
  }

  /**
   * The runs with the lease of each one in progress and the database's clock, in the same statement:
   * whether its engine lives is judged on one consistent reading.
   */
  private runsWithLeases(): SelectQueryBuilder<FlowRunEntity> {
    return this.dataSource
      .getRepository(FlowRunEntity)
      .createQueryBuilder('r')
      .leftJoinAndMapOne(
        'r.lease',
        FlowLeaseRecord,
        'l',
        'l.flowName = r.flowName AND l.timeperiod = r.timeperiod AND r.finishedAt IS NULL',
      )
      .addSelect(nowMillisSql(this.dataSource), 'database_now');
  }

  /** One run with its attempts; RunNotFoundError naming the id if none (or not of `flowName`, when given). */
  async find(runId: string, flowName?: string): Promise<FlowRunRecord> {
    const row = await this.dataSource.getRepository(FlowRunEntity).findOneBy({ runId });
    if (!row) throw new RunNotFoundError(runId, flowName);
    if (flowName !== undefined && row.flowName !== flowName) throw new RunNotFoundError(runId, flowName, row.flowName);
    return (await this.withAttempts([row]))[0];
  }

  private async assertRunOf(runId: string, flowName: string): Promise<void> {
    const row = await this.dataSource.getRepository(FlowRunEntity).findOne({ where: { runId }, select: { runId: true, flowName: true } });
    if (!row) throw new RunNotFoundError(runId, flowName);
    if (row.flowName !== flowName) throw new RunNotFoundError(runId, flowName, row.flowName);
  }

  /** The runs with their attempts: every step's, or only `stepName`'s (filtered by the queries, not after them). */
  private async withAttempts(rows: FlowRunEntity[], stepName?: string): Promise<FlowRunRecord[]> {
    if (rows.length === 0) return [];
    // Step rows before attempt rows: an attempt that ends in between (its row and its step's end
    // are one commit) is then read from its row, never missed by both reads.
    const running = await this.stepsOfRunning(rows, stepName);
    // In id order: a run's ids count up in the order its attempts ended.
    const attempts = await this.attemptRows.ofRuns(
      rows.map((r) => r.runId),
      stepName,
    );
    const byRun = new Map<string, StepAttemptRecord[]>(rows.map((r) => [r.runId, []]));
    for (const attempt of attempts) byRun.get(attempt.runId)!.push(attempt);
    for (const { run, steps } of running) {
      const ofRun = byRun.get(run.runId)!;
      for (const attempt of inFlightAttempts(run, steps, ofRun)) ofRun.push({ ...attempt });
    }
    return rows.map((row) => ({ ...row, attempts: byRun.get(row.runId)!.sort(byStart) }));
  }

  /**
   * A running attempt has no row yet (the engine inserts it when it ends): the runs in progress,
   * each with the step rows in_progress of its [flow, timeperiod], one query per run, that say
   * which of its attempts are in flight.
   */
  private async stepsOfRunning(
    rows: readonly FlowRunEntity[],
    stepName: string | undefined,
  ): Promise<Array<{ run: FlowRunEntity; steps: StepEntity[] }>> {
    const running = new Map<string, FlowRunEntity>();
    for (const row of rows) {
      if (row.state !== FlowState.IN_PROGRESS) continue;
      // Only the newest run of a timeperiod can be running: another run's set-up closes the older ones.
      const key = `${row.flowName}\u0000${row.timeperiod}`;
      const newest = running.get(key);
      if (!newest || newest.startedAt < row.startedAt) running.set(key, row);
    }
    const out: Array<{ run: FlowRunEntity; steps: StepEntity[] }> = [];
    for (const run of running.values()) out.push({ run, steps: await stepsInProgress(this.dataSource.manager, run, stepName) });
    return out;
  }
}

/** The runs of a runsWithLeases() query, each in progress with whether its engine is dead. */
async function judged(query: SelectQueryBuilder<FlowRunEntity>): Promise<ActiveRunRecord[]> {
  const { entities, raw } = await query.getRawAndEntities<{ database_now: string | number }>();
  const now = Number(raw[0]?.database_now);
  return (entities as Array<FlowRunEntity & { lease?: FlowLeaseRecord | null }>).map(({ lease, ...run }) => ({
    ...run,
    engineGone: engineGone(run, lease ?? null, now) ?? null,
  }));
}

/** In the order the attempts started (a stable sort: the same start keeps the order they ended in, their ids'). */
function byStart(a: StepAttemptRecord, b: StepAttemptRecord): number {
  return a.startedAt.getTime() - b.startedAt.getTime();
}
