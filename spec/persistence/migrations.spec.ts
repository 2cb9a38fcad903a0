import { expect } from 'chai';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { bootstrap, FlowRecord, FlowState, StepRecord } from '../../src';
import { createDataSource, migrateDatabase, MIGRATIONS_TABLE } from '../../src/persistence';
import { HelloWorldFlow } from '../../samples';
import { SPEC_DATABASES, type SpecDatabase } from './fixtures/spec-databases';

const MIGRATION_NAMES = ['InitialSchema1795910400000', 'FlowLease1795914000000'];
const TABLES = ['flow', 'step', 'flow_lease'];

/** Every table, column (name, type, nullability, default) and index, in a comparable form. */
async function schemaOf(dataSource: DataSource): Promise<unknown> {
  const runner = dataSource.createQueryRunner();
  try {
    const tables = await runner.getTables([...TABLES, MIGRATIONS_TABLE]);
    return tables
      .map((t) => ({
        table: t.name.split('.').pop(),
        columns: t.columns.map((c) => `${c.name} ${c.type} ${c.isNullable ? 'null' : 'not null'} ${c.default ?? ''}${c.isPrimary ? ' pk' : ''}`).sort(),
        indices: t.indices.map((i) => `${i.name}${i.isUnique ? ' unique' : ''} (${i.columnNames.join(', ')})`).sort(),
      }))
      .sort((a, b) => String(a.table).localeCompare(String(b.table)));
  } finally {
    await runner.release();
  }
}

/** The migrations table, in the schema the options name (the PostgreSQL specs get one each). */
function migrationsTable(dataSource: DataSource): string {
  const schema = (dataSource.options as { schema?: string }).schema;
  return schema ? `"${schema}"."${MIGRATIONS_TABLE}"` : MIGRATIONS_TABLE;
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
        expect(tables.find((t) => t.table === 'step')!.indices).to.include('uq_step_flow_step_timeperiod unique (flow_name, step_name, timeperiod)');
        const applied = (await dataSource.query(`SELECT name FROM ${migrationsTable(dataSource)} ORDER BY id`)) as Array<{ name: string }>;
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
        expect(await after.getRepository(FlowRecord).findBy({ flowName: 'hello_world' })).to.have.length(1);
        expect(await after.getRepository(StepRecord).countBy({ flowName: 'hello_world' })).to.equal(2);
        expect(Number((await after.query(`SELECT COUNT(*) AS n FROM ${migrationsTable(after)}`))[0].n)).to.equal(MIGRATION_NAMES.length);
      } finally {
        await after.destroy();
      }
    });

    it("adopt a database that 0.1.0's synchronize created, keeping its rows", async () => {
      const old = new DataSource({ ...db.options, entities: [FlowRecord, StepRecord], synchronize: true, logging: false } as DataSourceOptions);
      await old.initialize();
      await old.getRepository(FlowRecord).insert({ flowName: 'legacy', timeperiod: '2026010100', state: FlowState.PROCESSED, runMode: 'run', createdAt: new Date() });
      await old.destroy();

      const dataSource = await createDataSource(db.options);
      try {
        expect(await pendingSchemaChanges(dataSource)).to.deep.equal([]);
        expect(await dataSource.getRepository(FlowRecord).findOneBy({ flowName: 'legacy' })).to.include({ timeperiod: '2026010100', state: 'processed' });
      } finally {
        await dataSource.destroy();
      }
    });

    it('with migrationsRun: false, an engine refuses an out-of-date database (and creates nothing) until migrateDatabase ran', async () => {
      const database = { ...db.options, migrationsRun: false };
      const refused = await bootstrap({ flows: [HelloWorldFlow], database, logDirectory: db.dir, handleSignals: false }).then(
        () => expect.fail('bootstrap accepted a database without the schema'),
        (err: Error) => err,
      );
      expect(refused.message).to.match(/migrations are pending/).and.to.match(/migrateDatabase/);
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

describe('persistence/migrations: connection errors', () => {
  it('name the PostgreSQL server and database, never the password', async () => {
    const db = await SPEC_DATABASES[1].create();
    try {
      const password = 'not-the-password-0xC0FFEE';
      const err = await bootstrap({ flows: [HelloWorldFlow], database: { ...db.options, password }, logDirectory: db.dir, handleSignals: false }).then(
        () => expect.fail('connected with a wrong password'),
        (e: Error) => e,
      );
      const { host, port, database } = db.options as unknown as { host: string; port: number; database: string };
      expect(err.message).to.include(`at ${host}:${port}`).and.to.match(/password authentication failed/);
      expect(`${err.message}\n${err.stack}`).not.to.include(password);
      const url = `postgres://postgres:${password}@${host}:${port}/${database}`;
      const viaUrl = await bootstrap({ flows: [HelloWorldFlow], database: { type: 'postgres', url }, logDirectory: db.dir, handleSignals: false }).then(
        () => expect.fail('connected with a wrong password'),
        (e: Error) => e,
      );
      expect(viaUrl.message).to.include(`at ${host}:${port}/${database}`);
      expect(`${viaUrl.message}\n${viaUrl.stack}`).not.to.include(password);
    } finally {
      await db.cleanup();
    }
  });
});
