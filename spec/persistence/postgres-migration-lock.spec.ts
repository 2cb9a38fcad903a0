import { expect } from 'chai';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource, ENTITIES, MIGRATIONS_TABLE } from '../../src/persistence';
import { MIGRATIONS } from '../../src/persistence/migrations';
import { runMigrations } from '../../src/persistence/migration-runner';
import { sharedPostgres, type PostgresTestOptions } from '../support/postgres-server';

const MIGRATION_LOCK_KEY = '7461776310';

/** A session that holds synergy-flow's migration lock and then does nothing: an engine stopped (SIGSTOP, a paused VM) while migrating. */
async function stoppedHolder(db: PostgresTestOptions): Promise<{ pid: number; end(): Promise<void> }> {
  const client = new Client({ host: db.host, port: db.port, user: db.username, password: db.password, database: db.database });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return { pid: rows[0].pid, end: () => client.end() };
}

describe('persistence: the PostgreSQL migration lock and a stopped engine', function () {
  this.timeout(60_000);

  it('an engine whose schema is current starts without the lock: a stopped engine holding it stops nobody (status, run)', async () => {
    const server = await sharedPostgres();
    const db = await server.createDatabase();
    await (await createDataSource(db)).destroy();
    const holder = await stoppedHolder(db);
    try {
      const started = Date.now();
      const dataSource = await createDataSource(db);
      await dataSource.destroy();
      // It waited on the lock for ever before.
      expect(Date.now() - started).to.be.below(10_000);
    } finally {
      await holder.end();
    }
  });

  it('an engine with migrations to apply waits a bounded time, then names the session holding the lock and how to end it', async () => {
    const server = await sharedPostgres();
    const db = await server.createDatabase();
    const holder = await stoppedHolder(db);
    const dataSource = new DataSource({ ...db, entities: ENTITIES, migrations: MIGRATIONS, migrationsTableName: MIGRATIONS_TABLE });
    await dataSource.initialize();
    try {
      const err = await runMigrations(dataSource, { lockWaitMs: 1_000 }).then(
        () => expect.fail('migrated while another session held the lock'),
        (e: unknown) => e as Error,
      );
      expect(err.message).to.match(
        new RegExp(
          `^another engine has held synergy-flow's migration lock for over 1 s: the PostgreSQL session of backend pid ${holder.pid} \\(application '.*', client .*, idle for \\d+ s\\)\\. ` +
            `If that engine is stopped or hung, end its session \\(SELECT pg_terminate_backend\\(${holder.pid}\\)\\) and start again$`,
        ),
      );
      // Once the holder is gone, the same engine migrates.
      await holder.end();
      expect(await runMigrations(dataSource, { lockWaitMs: 1_000 })).to.have.length(MIGRATIONS.length);
    } finally {
      await holder.end().catch(() => undefined);
      await dataSource.destroy();
    }
  });
});
