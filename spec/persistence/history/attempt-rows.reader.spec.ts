import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { bootstrap, type SynergyFlowApp } from '../../../src';
import { createDataSource, StepState } from '../../../src/persistence';
import { AttemptRowsReader } from '../../../src/persistence/history/attempt-rows.reader';
import { attemptsOfRuns } from '../../../src/persistence/history/attempts-of-runs';
import { firstAttemptIdOf, IN_FLIGHT_OFFSET, runNumberOf } from '../../../src/persistence/history/attempt-ids';
import { StepAttemptEntity } from '../../../src/persistence/step-attempt.entity';
import { flaky, HistoryFlow, OtherFlow, resetFlaky } from '../fixtures/history-flow';
import { SPEC_DATABASES, type SpecDatabase } from '../fixtures/spec-databases';

const TP1 = '2026120100';
const TP2 = '2026120200';

/**
 * How the database would run a SELECT: SQLite's query plan; PostgreSQL's with sequential scans
 * priced out, since on a spec's few rows a scan is cheapest whatever indexes there are.
 */
async function planOf(dataSource: DataSource, sql: string, parameters: unknown[]): Promise<string> {
  if (dataSource.options.type === 'better-sqlite3') {
    const plan = await dataSource.query<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${sql}`, parameters);
    return plan.map((row) => row.detail).join('\n');
  }
  return dataSource.transaction(async (manager) => {
    await manager.query('SET LOCAL enable_seqscan = off');
    const plan = await manager.query<Array<{ 'QUERY PLAN': string }>>(`EXPLAIN ${sql}`, parameters);
    return plan.map((row) => row['QUERY PLAN']).join('\n');
  });
}

/**
 * History reads attempt rows with one plain SELECT and the driver's hydration of each value
 * (attempt-rows.reader.ts), not TypeORM's find(): what it returns must be, field for field and in
 * the same order, what find() gave the history (ids as numbers, dates as Date instants, nulls).
 */
for (const kind of SPEC_DATABASES) {
  describe(`persistence/history attempt rows read without TypeORM's entity transformer, on ${kind.name}`, function () {
    this.timeout(60_000);
    let db: SpecDatabase;
    let app: SynergyFlowApp | undefined;
    let dataSource: DataSource | undefined;
    const open = (settings: Record<string, unknown> = {}) =>
      bootstrap({ flows: [HistoryFlow, OtherFlow], database: db.options, logDirectory: db.dir, settings });

    beforeEach(async () => {
      db = await kind.create();
      resetFlaky();
    });
    afterEach(async () => {
      await app?.close();
      await dataSource?.destroy();
      app = dataSource = undefined;
      await db.cleanup();
    });

    /** TypeORM's reading of the runs' rows, as withAttempts made it before: the expected values. */
    const typeormRead = async (ds: DataSource, runIds: string[]) =>
      (await ds.getRepository(StepAttemptEntity).find({ where: attemptsOfRuns(ds, runIds), order: { id: 'ASC' } })).map((a) => ({
        ...a,
        id: Number(a.id),
      }));

    it('gives the attempts of several runs in one read (retries, errors, a skipped step, a row still in_progress) as find() did', async () => {
      app = await open();
      const first = await app.run('history_flow', { timeperiod: TP1 });
      await app.close();
      app = await open({ failLoad: true });
      flaky.calls = 0;
      const failed = await app.run('history_flow', { timeperiod: TP2 });
      await app.close();
      app = await open();
      flaky.calls = 0;
      const again = await app.run('history_flow', { timeperiod: TP1 });
      const other = await app.run('other_flow', { timeperiod: TP1 });
      expect([first.state, failed.state, again.state, other.state]).to.deep.equal(['processed', 'invalid', 'processed', 'processed']);

      dataSource = await createDataSource(db.options);
      // A row a previous release inserted when its attempt started: no end, no cluster, no error.
      const inProgressId = firstAttemptIdOf(await runNumberOf(dataSource.manager, failed.runId)) + IN_FLIGHT_OFFSET;
      await dataSource.getRepository(StepAttemptEntity).insert({
        id: inProgressId,
        runId: failed.runId,
        flowName: 'history_flow',
        timeperiod: TP2,
        stepName: 'load',
        attempt: 2,
        state: StepState.IN_PROGRESS,
        cluster: null,
        startedAt: new Date('2026-12-02T23:59:59.999Z'),
        finishedAt: null,
        error: null,
      });

      const runIds = [again.runId, failed.runId, first.runId, 'no-such-run'];
      const expected = await typeormRead(dataSource, runIds);
      const read = await new AttemptRowsReader(dataSource).ofRuns(runIds);

      expect(read).to.deep.equal(expected);
      expect(JSON.stringify(read), 'the same fields in the same order').to.equal(JSON.stringify(expected));
      expect(read.map((a) => a.id)).to.deep.equal([...read.map((a) => a.id)].sort((a, b) => a - b));
      expect(new Set(read.map((a) => a.runId))).to.deep.equal(new Set([first.runId, failed.runId, again.runId]));
      for (const a of read) {
        expect(a.id, 'a number, on PostgreSQL too').to.be.a('number');
        expect(a.startedAt).to.be.instanceOf(Date);
        expect(a.attempt).to.be.a('number');
      }
      const tries = (runId: string, stepName: string) =>
        read.filter((a) => a.runId === runId && a.stepName === stepName).map((a) => `#${a.attempt} ${a.state} ${a.error}`);
      expect(tries(first.runId, 'flaky')).to.deep.equal([
        '#1 invalid Error: flaky failure 1',
        '#2 invalid Error: flaky failure 2',
        '#3 processed null',
      ]);
      expect(tries(failed.runId, 'load')).to.deep.equal(['#1 invalid Error: load refused', '#2 in_progress null']);
      expect(read.find((a) => a.stepName === 'skipped')).to.include({ state: 'noop', cluster: null });
      const inProgress = read.find((a) => a.id === inProgressId)!;
      expect(inProgress.startedAt.toISOString()).to.equal('2026-12-02T23:59:59.999Z');
      expect(inProgress).to.include({ finishedAt: null, cluster: null, error: null });
      expect(await new AttemptRowsReader(dataSource).ofRuns([other.runId])).to.deep.equal(await typeormRead(dataSource, [other.runId]));
      expect(await new AttemptRowsReader(dataSource).ofRuns([]), 'no run, no read').to.deep.equal([]);

      // One step's rows: chosen by the SELECT (the driver hands over those rows only), found through
      // the run's range of the key on SQLite, the run_id index on PostgreSQL, not a scan of the table.
      const selects: Array<{ sql: string; parameters: unknown[]; rows: number }> = [];
      const query = dataSource.query.bind(dataSource);
      dataSource.query = async <T>(sql: string, parameters?: unknown[]): Promise<T> => {
        const rows = await query<T>(sql, parameters);
        selects.push({ sql, parameters: parameters ?? [], rows: (rows as unknown[]).length });
        return rows;
      };
      let ofFlaky: StepAttemptEntity[];
      try {
        ofFlaky = await new AttemptRowsReader(dataSource).ofRuns(runIds, 'flaky');
      } finally {
        dataSource.query = query;
      }
      expect(ofFlaky).to.deep.equal(expected.filter((a) => a.stepName === 'flaky'));
      expect(ofFlaky, 'three tries in each of the three runs').to.have.length(9);
      expect(
        selects.reduce((rows, s) => rows + s.rows, 0),
        'rows the database handed over',
      ).to.equal(ofFlaky.length);
      for (const { sql, parameters } of selects)
        expect(await planOf(dataSource, sql, parameters)).to.match(
          kind.name === 'SQLite'
            ? /SEARCH step_attempt USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/
            : /Index Scan (using|on) ix_step_attempt_run/,
        );

      // app.history and app.historyRun read them so: each run its own attempts, as find() gave them.
      const history = await app.history('history_flow');
      expect(history.map((r) => r.runId)).to.deep.equal([again.runId, failed.runId, first.runId]);
      for (const run of history) {
        const byId = [...run.attempts].sort((a, b) => a.id - b.id);
        expect(byId, run.runId).to.deep.equal(expected.filter((a) => a.runId === run.runId));
        expect(await app.historyRun(run.runId)).to.deep.equal(run);
      }
    });
  });
}
