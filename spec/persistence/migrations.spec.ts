import { expect } from 'chai';
import * as os from 'node:os';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { bootstrap, DatabaseSetupError, FlowState, StepState, type DatabaseOptions } from '../../src';
import { createDataSource, FlowEntity, FlowLeaseRecord, migrateDatabase, MIGRATIONS_TABLE, StepEntity } from '../../src/persistence';
import { ScheduleStore } from '../../src/persistence/schedule/schedule-store';
import { MIGRATIONS } from '../../src/persistence/migrations';
import { StepCluster1795950800000 } from '../../src/persistence/migrations/1795950800000-step-cluster.migration';
import { StepAttemptEntity } from '../../src/persistence/step-attempt.entity';
import { ScheduleMarkRecord } from '../../src/persistence/schedule/schedule-mark.entity';
import { attemptsOfRuns } from '../../src/persistence/history/attempts-of-runs';
import { HelloWorldFlow } from '../../samples';
import { SPEC_DATABASES, type SpecDatabase } from './fixtures/spec-databases';
import { inTimeZone } from './time-zone/zone-engine';
import { freePort } from '../support/free-port';

const MIGRATION_NAMES = [
  'InitialSchema1795910400000',
  'FlowLease1795914000000',
  'StepRunIndex1795920000000',
  'RunHistory1795930000000',
  'Scheduler1795933600000',
  'AbsoluteTimes1795940000000',
  'ProcessIdentity1795943600000',
  'RunInstance1795947200000',
  'StepCluster1795950800000',
];
const TABLES = ['flow', 'step', 'flow_lease', 'flow_run', 'step_attempt', 'schedule_claim', 'schedule_pause', 'schedule_mark'];

/** Every table, column (name, type, nullability, default) and index, in a comparable form. */
async function schemaOf(dataSource: DataSource): Promise<unknown> {
  const runner = dataSource.createQueryRunner();
  try {
    const tables = await runner.getTables([...TABLES, MIGRATIONS_TABLE]);
    return tables
      .map((t) => ({
        table: t.name.split('.').pop(),
        columns: t.columns
          .map((c) => `${c.name} ${c.type} ${c.isNullable ? 'null' : 'not null'} ${c.default ?? ''}${c.isPrimary ? ' pk' : ''}`)
          .sort(),
        indices: t.indices.map((i) => `${i.name}${i.isUnique ? ' unique' : ''} (${i.columnNames.join(', ')})`).sort(),
      }))
      .sort((a, b) => String(a.table).localeCompare(String(b.table)));
  } finally {
    await runner.release();
  }
}

/**
 * An index's columns in index order, from the database itself: TypeORM's PostgreSQL driver lists
 * them in table order, which would hide the very thing the step index migration changed.
 */
async function indexColumns(dataSource: DataSource, name: string): Promise<string[]> {
  if (dataSource.options.type === 'better-sqlite3') {
    return (await dataSource.query<Array<{ seqno: number; name: string }>>(`PRAGMA index_info('${name}')`))
      .sort((a, b) => a.seqno - b.seqno)
      .map((c) => c.name);
  }
  const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
  const [row] = await dataSource.query<Array<{ indexdef: string }>>(
    'SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = $2',
    [schema, name],
  );
  return (/\(([^)]*)\)\s*$/.exec(row?.indexdef ?? '')?.[1] ?? '')
    .split(',')
    .map((c) => c.trim().replace(/"/g, ''))
    .filter(Boolean);
}

/** The migrations table, in the schema the options name (the PostgreSQL specs get one each). */
/** The database as a release with only the first `migrations` migrations left it, open on their entities. */
async function databaseOfRelease(options: SpecDatabase['options'], migrations: number): Promise<DataSource> {
  const previous = new DataSource({
    ...options,
    entities: [FlowEntity, StepEntity],
    migrations: MIGRATIONS.slice(0, migrations),
    migrationsTableName: MIGRATIONS_TABLE,
    logging: false,
  } as DataSourceOptions);
  await previous.initialize();
  await previous.runMigrations();
  return previous;
}

/**
 * Writes step rows into a database of an older release: only the columns given, which that release's
 * `step` table has (the current StepEntity declares more, such as run_id).
 */
async function insertOldSteps(dataSource: DataSource, rows: Array<Partial<StepEntity>>): Promise<void> {
  await dataSource.createQueryBuilder().insert().into(StepEntity, Object.keys(rows[0])).values(rows).execute();
}

function migrationsTable(dataSource: DataSource): string {
  return tableOf(dataSource, MIGRATIONS_TABLE);
}

/** A table's name for raw SQL, in the schema the options name. */
function tableOf(dataSource: DataSource, table: string): string {
  const schema = (dataSource.options as { schema?: string }).schema;
  return schema ? `"${schema}"."${table}"` : table;
}

/** What TypeORM would still have to change to match the entities: nothing, when migrations are right. */
async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  return (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
}

for (const kind of SPEC_DATABASES) {
  describe(`persistence/migrations on ${kind.name}`, () => {
    let db: SpecDatabase;
    beforeEach(async () => (db = await kind.create()));
    afterEach(async () => db.cleanup());

    it('bring a fresh database to the current schema: every table, column and index the entities declare', async () => {
      const dataSource = await createDataSource(db.options);
      try {
        expect(await pendingSchemaChanges(dataSource)).to.deep.equal([]);
        const tables = (await schemaOf(dataSource)) as Array<{ table: string; indices: string[] }>;
        expect(tables.map((t) => t.table)).to.have.members([...TABLES, MIGRATIONS_TABLE]);
        expect(tables.find((t) => t.table === 'flow')!.indices).to.include('uq_flow_name_timeperiod unique (flow_name, timeperiod)');
        const stepIndices = tables.find((t) => t.table === 'step')!.indices;
        expect(stepIndices.some((i) => i.startsWith('uq_step_flow_timeperiod_step unique'))).to.equal(true);
        expect(await indexColumns(dataSource, 'uq_step_flow_timeperiod_step')).to.deep.equal(['flow_name', 'timeperiod', 'step_name']);
        expect(
          stepIndices.filter((i) => i.startsWith('uq_step_')),
          'one unique index on step',
        ).to.have.length(1);
        const applied = await dataSource.query<Array<{ name: string }>>(`SELECT name FROM ${migrationsTable(dataSource)} ORDER BY id`);
        expect(applied.map((m) => m.name)).to.deep.equal(MIGRATION_NAMES);
      } finally {
        await dataSource.destroy();
      }
    });

    it('running them twice is a no-op: nothing applied, schema and rows unchanged', async () => {
      expect(await migrateDatabase(db.options)).to.deep.equal(MIGRATION_NAMES);
      const app = await bootstrap({ flows: [HelloWorldFlow], database: db.options, logDirectory: db.dir, handleSignals: false });
      await app.run('hello_world', { timeperiod: '2026112600' });
      await app.close();

      const before = await createDataSource({ ...db.options, migrationsRun: false });
      const schemaBefore = await schemaOf(before);
      await before.destroy();

      expect(await migrateDatabase(db.options)).to.deep.equal([]);
      const after = await createDataSource(db.options);
      try {
        expect(await schemaOf(after)).to.deep.equal(schemaBefore);
        expect(await after.getRepository(FlowEntity).findBy({ flowName: 'hello_world' })).to.have.length(1);
        expect(await after.getRepository(StepEntity).countBy({ flowName: 'hello_world' })).to.equal(2);
        expect(Number((await after.query(`SELECT COUNT(*) AS n FROM ${migrationsTable(after)}`))[0].n)).to.equal(MIGRATION_NAMES.length);
      } finally {
        await after.destroy();
      }
    });

    it("adopt a database that 0.1.0's synchronize created, keeping its rows", async () => {
      const old = new DataSource({
        ...db.options,
        entities: [FlowEntity, StepEntity],
        synchronize: true,
        logging: false,
      } as DataSourceOptions);
      await old.initialize();
      await old
        .getRepository(FlowEntity)
        .insert({ flowName: 'legacy', timeperiod: '2026010100', state: FlowState.PROCESSED, runMode: 'run', createdAt: new Date() });
      await old.destroy();

      const dataSource = await createDataSource(db.options);
      try {
        expect(await pendingSchemaChanges(dataSource)).to.deep.equal([]);
        expect(await dataSource.getRepository(FlowEntity).findOneBy({ flowName: 'legacy' })).to.include({
          timeperiod: '2026010100',
          state: 'processed',
        });
      } finally {
        await dataSource.destroy();
      }
    });

    it('upgrade a database of the previous release: its step rows stay, reads of a run get their index, uniqueness holds', async () => {
      // The schema as the previous release left it: every migration but the step index's.
      const previous = await databaseOfRelease(db.options, 2);
      await previous
        .getRepository(FlowEntity)
        .insert({ flowName: 'daily', timeperiod: '2026010100', state: FlowState.PROCESSED, runMode: 'run', createdAt: new Date() });
      const flowId = (await previous.getRepository(FlowEntity).findOneByOrFail({ flowName: 'daily' })).id;
      const row = (stepName: string, timeperiod: string) => ({
        flowId,
        flowName: 'daily',
        stepName,
        timeperiod,
        state: StepState.PROCESSED,
        attempt: 1,
        createdAt: new Date(),
      });
      await insertOldSteps(previous, [row('a', '2026010100'), row('b', '2026010100'), row('a', '2026010200')]);
      await previous.destroy();

      expect(await migrateDatabase(db.options)).to.deep.equal(MIGRATION_NAMES.slice(2));
      const dataSource = await createDataSource(db.options);
      try {
        expect(await pendingSchemaChanges(dataSource)).to.deep.equal([]);
        const indices = ((await schemaOf(dataSource)) as Array<{ table: string; indices: string[] }>).find(
          (t) => t.table === 'step',
        )!.indices;
        expect(await indexColumns(dataSource, 'uq_step_flow_timeperiod_step')).to.deep.equal(['flow_name', 'timeperiod', 'step_name']);
        expect(indices.join()).not.to.include('uq_step_flow_step_timeperiod');
        const steps = dataSource.getRepository(StepEntity);
        expect(
          (await steps.find({ where: { flowName: 'daily', timeperiod: '2026010100' }, order: { id: 'ASC' } })).map((s) => s.stepName),
        ).to.deep.equal(['a', 'b']);
        const duplicate = await steps.insert(row('a', '2026010100')).then(
          () => undefined,
          (err: Error) => err,
        );
        expect(duplicate?.message, 'a second row for the same flow, timeperiod and step').to.match(/unique|duplicate/i);
        expect(await steps.count()).to.equal(3);
      } finally {
        await dataSource.destroy();
      }
    });

    it('upgrade a database of the release before run history in place: the history tables appear, its invalid run recovers, history lists the recovery', async () => {
      // The schema as the previous release left it: every migration but the run history's, and a run that ended invalid.
      const previous = await databaseOfRelease(db.options, 3);
      const at = new Date(Date.now() - 60_000);
      const flowRow = {
        flowName: 'hello_world',
        timeperiod: '2026112600',
        state: FlowState.INVALID,
        runMode: 'run' as const,
        createdAt: at,
      };
      await previous.getRepository(FlowEntity).insert({ ...flowRow, startedAt: at, finishedAt: at });
      const flowId = (await previous.getRepository(FlowEntity).findOneByOrFail({ flowName: 'hello_world' })).id;
      const step = (stepName: string, state: StepState) => ({
        flowId,
        flowName: 'hello_world',
        stepName,
        timeperiod: '2026112600',
        state,
        attempt: 1,
        createdAt: at,
        startedAt: at,
        finishedAt: at,
      });
      await insertOldSteps(previous, [step('hello', StepState.PROCESSED), step('world', StepState.INVALID)]);
      await previous.destroy();

      const app = await bootstrap({ flows: [HelloWorldFlow], database: db.options, logDirectory: db.dir, handleSignals: false });
      try {
        expect(await app.history('hello_world'), 'no history before this release').to.deep.equal([]);
        const recovered = await app.recover('hello_world', { timeperiod: '2026112600' });
        expect(recovered.state).to.equal('processed');
        const [run, ...older] = await app.history('hello_world');
        expect(older).to.deep.equal([]);
        expect(run).to.include({ runId: recovered.runId, runMode: 'recover', state: 'processed' });
        expect(
          run.attempts.map((a) => `${a.stepName} ${a.state}`),
          'only what the old run left undone',
        ).to.deep.equal(['world processed']);
        expect((await app.status('hello_world', '2026112600')).steps.map((s) => s.state)).to.deep.equal(['processed', 'processed']);
      } finally {
        await app.close();
      }
      const dataSource = await createDataSource(db.options);
      try {
        expect(await pendingSchemaChanges(dataSource)).to.deep.equal([]);
        const tables = (await schemaOf(dataSource)) as Array<{ table: string; indices: string[] }>;
        expect(tables.find((t) => t.table === 'flow_run')!.indices).to.include('ix_flow_run_flow_started (flow_name, started_at)');
        expect(await indexColumns(dataSource, 'ix_flow_run_flow_timeperiod')).to.deep.equal(['flow_name', 'timeperiod', 'started_at']);
        // PostgreSQL finds a run's attempts by run_id; SQLite by a range of the key, the attempt row's only b-tree.
        expect(tables.find((t) => t.table === 'step_attempt')!.indices).to.deep.equal(
          kind.name === 'PostgreSQL' ? ['ix_step_attempt_run (run_id)'] : [],
        );
      } finally {
        await dataSource.destroy();
      }
    });

    it("upgrade a database of the previous release to the scheduler's: its flow rows stay, the claim, pause and mark tables and the flow state index appear", async () => {
      const previous = await databaseOfRelease(db.options, 4);
      await previous
        .getRepository(FlowEntity)
        .insert({ flowName: 'hourly', timeperiod: '2026010100', state: FlowState.PROCESSED, runMode: 'run', createdAt: new Date() });
      await previous.destroy();

      expect(await migrateDatabase(db.options)).to.deep.equal(MIGRATION_NAMES.slice(4));
      const dataSource = await createDataSource(db.options);
      try {
        expect(await pendingSchemaChanges(dataSource)).to.deep.equal([]);
        expect(await indexColumns(dataSource, 'ix_flow_name_state_timeperiod')).to.deep.equal(['flow_name', 'state', 'timeperiod']);
        expect(await dataSource.getRepository(FlowEntity).findOneBy({ flowName: 'hourly' })).to.include({ state: 'processed' });
        const tables = ((await schemaOf(dataSource)) as Array<{ table: string }>).map((t) => t.table);
        expect(tables).to.include.members(['schedule_claim', 'schedule_pause', 'schedule_mark']);

        // The mark's triggers: a flow row deleted or re-keyed resets its flow's mark (recounted from the start); a state change does not.
        const marks = dataSource.getRepository(ScheduleMarkRecord);
        const flows = dataSource.getRepository(FlowEntity);
        const markOf = async () => {
          const mark = await marks.findOneByOrFail({ flowName: 'hourly' });
          return [mark.nextPeriod, mark.version];
        };
        await marks.insert({ flowName: 'hourly', startPeriod: '2026010100', granularity: 'hourly', nextPeriod: '2026010101', version: 1 });
        await flows.update({ flowName: 'hourly', timeperiod: '2026010100' }, { state: FlowState.INVALID });
        expect(await markOf(), 'a state change keeps the mark').to.deep.equal(['2026010101', 1]);
        await flows.delete({ flowName: 'hourly', timeperiod: '2026010100' });
        expect(await markOf(), 'a deleted row resets it').to.deep.equal([null, 2]);
        await marks.update({ flowName: 'hourly' }, { nextPeriod: '2026010101' });
        await flows.insert({
          flowName: 'hourly',
          timeperiod: '2026010100',
          state: FlowState.PROCESSED,
          runMode: 'run',
          createdAt: new Date(),
        });
        await flows.update({ flowName: 'hourly', timeperiod: '2026010100' }, { timeperiod: '2026010105' });
        expect(await markOf(), 'a re-keyed row resets it').to.deep.equal([null, 3]);
        await flows.insert({
          flowName: 'other',
          timeperiod: '2026010100',
          state: FlowState.PROCESSED,
          runMode: 'run',
          createdAt: new Date(),
        });
        await flows.delete({ flowName: 'other' });
        expect(await marks.findOneByOrFail({ flowName: 'other' }), 'a flow without a mark gets a reset one').to.include({
          nextPeriod: null,
        });
        await marks.update({ flowName: 'hourly' }, { nextPeriod: '2026010101' });
        // PostgreSQL's TRUNCATE fires no row trigger: a statement trigger resets every mark. SQLite has no TRUNCATE.
        await dataSource.query(
          kind.name === 'PostgreSQL' ? `TRUNCATE ${dataSource.getMetadata(FlowEntity).tablePath} CASCADE` : 'DELETE FROM flow',
        );
        expect(await markOf(), 'every row gone resets it').to.deep.equal([null, 4]);
      } finally {
        await dataSource.destroy();
      }
    });

    it('upgrade a database of the previous release to absolute times: what an engine in Tokyo wrote is the instant it meant, once migrated in Tokyo', async function () {
      this.timeout(60_000); // the migration runs in a node process of its own, in Tokyo
      const previous = await databaseOfRelease(db.options, 5);
      // What an engine in Tokyo stored for 07:06:33.123Z: its wall time there on PostgreSQL
      // (`timestamp without time zone`, which pg wrote a Date into as the process's local time), UTC text on SQLite.
      const stored = kind.name === 'PostgreSQL' ? '2026-12-01 16:06:33.123' : '2026-12-01 07:06:33.123';
      await previous.query(
        `INSERT INTO ${tableOf(previous, 'flow')} (flow_name, timeperiod, state, run_mode, created_at, started_at, finished_at)
          VALUES ('daily', '2026120100', 'processed', 'run', '${stored}', '${stored}', NULL)`,
      );
      await previous.destroy();

      const migrated = await inTimeZone('Asia/Tokyo', { action: 'migrate', database: db.options });
      expect(migrated.applied).to.deep.equal([
        'AbsoluteTimes1795940000000',
        'ProcessIdentity1795943600000',
        'RunInstance1795947200000',
        'StepCluster1795950800000',
      ]);
      const dataSource = await createDataSource(db.options);
      try {
        expect(await pendingSchemaChanges(dataSource)).to.deep.equal([]);
        const row = await dataSource.getRepository(FlowEntity).findOneByOrFail({ flowName: 'daily' });
        expect([row.createdAt.toISOString(), row.startedAt?.toISOString(), row.finishedAt]).to.deep.equal([
          '2026-12-01T07:06:33.123Z',
          '2026-12-01T07:06:33.123Z',
          null,
        ]);
        // Every time column: an absolute instant on PostgreSQL; SQLite's keep their type (UTC text).
        const type = kind.name === 'PostgreSQL' ? 'timestamp with time zone' : 'datetime';
        const tables = (await schemaOf(dataSource)) as Array<{ table: string; columns: string[] }>;
        const times = tables.flatMap((t) => t.columns.filter((c) => /^\w+_at /.test(c)).map((c) => `${t.table}.${c}`));
        const dates = times.filter((c) => /^(flow|step|flow_run|step_attempt)\./.test(c));
        expect(dates).to.have.length(10);
        for (const column of dates) expect(column.replace(/^\S+ /, '').replace(/ (not )?null .*$/, ''), column).to.equal(type);
      } finally {
        await dataSource.destroy();
      }
    });

    it("upgrade a database of the scheduler's release: its lease and claim rows stay and read with no instance id (judged by their lease's expiry)", async () => {
      const previous = await databaseOfRelease(db.options, 5);
      const table = (name: string) => previous.driver.escape(name);
      const qualified = (name: string) => {
        const schema = (db.options as { schema?: string }).schema;
        return schema ? `${table(schema)}.${table(name)}` : table(name);
      };
      await previous.query(
        `INSERT INTO ${qualified('flow_lease')} (flow_name, timeperiod, holder_id, host, pid, version, acquired_at, heartbeat_at, expires_at)
         VALUES ('etl', '2026112600', 'a1b2c3d4-0000-4000-8000-000000000001', 'etl-host', 1, 3, 10, 20, 30)`,
      );
      await previous.query(
        `INSERT INTO ${qualified('schedule_claim')} (flow_name, timeperiod, attempt, kind, holder_id, host, pid, claimed_at)
         VALUES ('etl', '2026112600', 1, 'run', 'a1b2c3d4-0000-4000-8000-000000000002', 'etl-host', 1, 10)`,
      );
      await previous.destroy();

      expect(await migrateDatabase(db.options)).to.deep.equal([
        'AbsoluteTimes1795940000000',
        'ProcessIdentity1795943600000',
        'RunInstance1795947200000',
        'StepCluster1795950800000',
      ]);
      const dataSource = await createDataSource(db.options);
      try {
        expect(await pendingSchemaChanges(dataSource)).to.deep.equal([]);
        expect(await dataSource.getRepository(FlowLeaseRecord).findOneByOrFail({ flowName: 'etl' })).to.include({
          host: 'etl-host',
          pid: 1,
          expiresAt: 30,
          instanceId: null,
          pidNamespace: null,
        });
        const [claim] = await new ScheduleStore({ transaction: (work) => dataSource.transaction(work) }).openClaims(dataSource.manager, [
          'etl',
        ]);
        expect(claim).to.include({ host: 'etl-host', pid: 1, attempt: 1, instanceId: null, pidNamespace: null });
      } finally {
        await dataSource.destroy();
      }
    });

    it('upgrade a database of the process identity release: its runs stay and read with no instance id, a new run records its engine', async () => {
      const previous = await databaseOfRelease(db.options, 7);
      // run_number 1000: not one a fresh sequence (PostgreSQL) or MAX + 1 (SQLite) hands the next run.
      await previous.query(
        `INSERT INTO ${tableOf(previous, 'flow_run')} (id, flow_name, timeperiod, run_mode, trigger, state, host, pid, started_at, finished_at, run_number)
         VALUES ('0000000000000a', 'hello_world', '2026112500', 'run', 'cli', 'processed', 'etl-host', 1, '2026-11-26 00:00:00', '2026-11-26 00:00:01', 1000)`,
      );
      await previous.destroy();

      expect(await migrateDatabase(db.options)).to.deep.equal(['RunInstance1795947200000', 'StepCluster1795950800000']);
      const app = await bootstrap({ flows: [HelloWorldFlow], database: db.options, logDirectory: db.dir, handleSignals: false });
      try {
        const { runId } = await app.run('hello_world', { timeperiod: '2026112600' });
        const health = await app.health();
        expect((await app.history('hello_world')).map((r) => [r.runId, r.host, r.instanceId])).to.deep.equal([
          [runId, os.hostname(), health.instanceId],
          ['0000000000000a', 'etl-host', null],
        ]);
      } finally {
        await app.close();
      }
      const dataSource = await createDataSource(db.options);
      try {
        expect(await pendingSchemaChanges(dataSource)).to.deep.equal([]);
      } finally {
        await dataSource.destroy();
      }
    });

    it('upgrade a database of the run instance release: its step rows stay, with no cluster; applied again where the column exists, nothing fails', async () => {
      const previous = await databaseOfRelease(db.options, 8);
      await insertOldSteps(previous, [
        {
          flowId: 1,
          flowName: 'daily',
          stepName: 'a',
          timeperiod: '2026010100',
          state: StepState.PROCESSED,
          attempt: 1,
          createdAt: new Date(),
        },
      ]);
      await previous.destroy();

      expect(await migrateDatabase(db.options)).to.deep.equal(['StepCluster1795950800000']);
      const dataSource = await createDataSource(db.options);
      const runner = dataSource.createQueryRunner();
      try {
        expect(await pendingSchemaChanges(dataSource)).to.deep.equal([]);
        expect(await dataSource.getRepository(StepEntity).findOneByOrFail({ stepName: 'a' })).to.include({ attempt: 1, cluster: null });
        // Another engine upgrading the same file got there first.
        await new StepCluster1795950800000().up(runner);
        expect(await runner.hasColumn('step', 'cluster')).to.equal(true);
      } finally {
        await runner.release();
        await dataSource.destroy();
      }
    });

    it('with migrationsRun: false, an engine refuses an out-of-date database (and creates nothing) until migrateDatabase ran', async () => {
      const database = { ...db.options, migrationsRun: false };
      const refused = await bootstrapReady({ flows: [HelloWorldFlow], database, logDirectory: db.dir, handleSignals: false }).then(
        () => expect.fail('ready() accepted a database without the schema'),
        (err: Error) => err,
      );
      expect(refused.message)
        .to.match(/migrations are pending/)
        .and.to.match(/migrateDatabase/);
      expect(refused).to.be.instanceOf(DatabaseSetupError).and.include({ code: 'ERR_SYNERGY_DATABASE_SETUP' });
      const probe = await createDataSource(database).catch(() => undefined);
      expect(probe, 'still refused: the refusal created nothing').to.equal(undefined);

      await migrateDatabase(db.options);
      const app = await bootstrap({ flows: [HelloWorldFlow], database, logDirectory: db.dir, handleSignals: false });
      try {
        expect((await app.run('hello_world', { timeperiod: '2026112600' })).state).to.equal('processed');
      } finally {
        await app.close();
      }
    });
  });
}

describe('persistence/migrations: how SQLite reads a run', () => {
  it("finds a run's steps through the unique index, on flow and timeperiod both, not by walking the flow's every row", async () => {
    const db = await SPEC_DATABASES[0].create();
    const dataSource = await createDataSource(db.options);
    try {
      // The WHERE and ORDER BY of StateStore.findSteps, built by TypeORM.
      const [sql, params] = dataSource
        .getRepository(StepEntity)
        .createQueryBuilder('s')
        .where({ flowName: 'daily', timeperiod: '2026010100' })
        .orderBy('s.id', 'ASC')
        .getQueryAndParameters();
      const plan = (await dataSource.query<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${sql}`, params))
        .map((r) => r.detail)
        .join(' | ');
      expect(plan).to.match(/USING INDEX uq_step_flow_timeperiod_step \(flow_name=\? AND timeperiod=\?\)/);
    } finally {
      await dataSource.destroy();
      await db.cleanup();
    }
  });
});

describe('persistence/migrations: how SQLite reads the attempts of runs', () => {
  it('as ranges of the rowid, which is the id (the table has no other index), not by walking every attempt row', async () => {
    const db = await SPEC_DATABASES[0].create();
    const dataSource = await createDataSource(db.options);
    try {
      const [sql, params] = dataSource
        .getRepository(StepAttemptEntity)
        .createQueryBuilder('a')
        .where(attemptsOfRuns(dataSource, ['mxaimb3rlia09y', 'mxaim9c4061zxg']))
        .getQueryAndParameters();
      const plan = (await dataSource.query<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${sql}`, params))
        .map((r) => r.detail)
        .join(' | ');
      // Each run's range of the rowid, bounded by its flow_run row's rowid (found through that table's key).
      expect(plan).to.match(/SEARCH a USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
      expect(plan).not.to.match(/SCAN a\b/);
      // The id is the rowid itself (an `integer` primary key), and the table has no other index.
      const [{ sql: table }] = await dataSource.query<Array<{ sql: string }>>("SELECT sql FROM sqlite_master WHERE name = 'step_attempt'");
      expect(table).to.match(/"id" integer PRIMARY KEY NOT NULL/i);
      expect(table).not.to.match(/WITHOUT ROWID/i);
      expect(await dataSource.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'step_attempt'")).to.deep.equal([]);
    } finally {
      await dataSource.destroy();
      await db.cleanup();
    }
  });
});

describe('persistence/migrations: connection errors', () => {
  it('name the PostgreSQL server and database, never the password', async () => {
    const db = await SPEC_DATABASES[1].create();
    try {
      const password = 'not-the-password-0xC0FFEE';
      const err = await bootstrapReady({
        flows: [HelloWorldFlow],
        database: { ...db.options, password },
        logDirectory: db.dir,
        handleSignals: false,
      }).then(
        () => expect.fail('connected with a wrong password'),
        (e: Error) => e,
      );
      const { host, port, database } = db.options as unknown as { host: string; port: number; database: string };
      expect(err.message)
        .to.include(`at ${host}:${port}`)
        .and.to.match(/password authentication failed/)
        .and.to.include(
          '(check the user and password the engine connects with: `database` in bootstrap(), or the postgres://user:password@host/db URL in SYNERGY_FLOW_DATABASE',
        );
      expect(`${err.message}\n${err.stack}`).not.to.include(password);
      const url = `postgres://postgres:${password}@${host}:${port}/${database}`;
      const viaUrl = await bootstrapReady({
        flows: [HelloWorldFlow],
        database: { type: 'postgres', url },
        logDirectory: db.dir,
        handleSignals: false,
      }).then(
        () => expect.fail('connected with a wrong password'),
        (e: Error) => e,
      );
      expect(viaUrl.message).to.include(`at ${host}:${port}/${database}`);
      expect(`${viaUrl.message}\n${viaUrl.stack}`).not.to.include(password);
    } finally {
      await db.cleanup();
    }
  });

  it('say what to do when the PostgreSQL database does not exist, or no server listens there', async () => {
    const db = await SPEC_DATABASES[1].create();
    try {
      const failure = (database: object) =>
        bootstrapReady({ flows: [HelloWorldFlow], database: database as DatabaseOptions, logDirectory: db.dir, handleSignals: false }).then(
          () => expect.fail('connected'),
          (e: Error) => e,
        );
      const missing = await failure({ ...db.options, database: 'no_such_database' });
      expect(missing.message).to.match(/database "no_such_database" does not exist \(create the database first, e\.g\. `createdb /);
      const nobody = await failure({ ...db.options, port: await freePort() });
      expect(nobody.message).to.match(/ECONNREFUSED .*\(is PostgreSQL running, and listening at that host and port\? /);
    } finally {
      await db.cleanup();
    }
  });
});

/** bootstrap() opens no database: ready() does, and refuses what bootstrap() refused before it opened lazily. */
async function bootstrapReady(options: Parameters<typeof bootstrap>[0]) {
  const app = await bootstrap(options);
  try {
    await app.ready();
    return app;
  } catch (err) {
    await app.close();
    throw err;
  }
}
