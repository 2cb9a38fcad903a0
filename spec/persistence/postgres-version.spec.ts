import { expect } from 'chai';
import { createDataSource } from '../../src/persistence';
import { DatabaseSetupError } from '../../src/errors';
import { assertSupportedPostgres, MIN_POSTGRES_MAJOR } from '../../src/persistence/postgres-version';
import { sharedPostgres } from '../support/postgres-server';

/**
 * The group commits set `plan_cache_mode` (PostgreSQL 12). On an older server every multi-row
 * commit would fail in the middle of a run: the engine refuses such a server when it opens it.
 */
describe('persistence: the PostgreSQL versions the engine runs on', function () {
  this.timeout(60_000);

  it('takes 12 and later, and refuses older versions saying what to do', () => {
    expect(MIN_POSTGRES_MAJOR).to.equal(12);
    for (const version of ['12.0', '12.22', '17.6', '18.4', '18beta1'])
      expect(() => assertSupportedPostgres(version), version).not.to.throw();
    for (const version of ['11.22', '11.2', '9.6.24', '10.23'])
      expect(() => assertSupportedPostgres(version), version).to.throw(
        `the server is PostgreSQL ${version}, and synergy-flow needs PostgreSQL 12 or later: upgrade the server, or use SQLite`,
      );
    // A version it cannot read is not refused on a guess.
    for (const version of [undefined, '', 'CockroachDB CCL v24.1'])
      expect(() => assertSupportedPostgres(version), String(version)).not.to.throw();
  });

  it('refuses a server that reports PostgreSQL 11 when it opens it: nothing migrated, no connection left open', async () => {
    const server = await sharedPostgres();
    const db = await server.createDatabase();
    // A real server made to answer `SELECT version()` as PostgreSQL 11 does: a function of that
    // name in a schema searched before pg_catalog.
    await server.query(db.database, 'CREATE SCHEMA old_server');
    await server.query(
      db.database,
      `CREATE FUNCTION old_server.version() RETURNS text LANGUAGE sql AS $$ SELECT 'PostgreSQL 11.22 on x86_64-pc-linux-gnu, 64-bit' $$`,
    );
    const opened = createDataSource({ ...db, extra: { options: '-c search_path=old_server,pg_catalog' } });
    const err = await opened.then(
      () => expect.fail('an old server was accepted'),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(DatabaseSetupError);
    expect((err as Error).message).to.match(
      /^cannot open the postgres database .*: the server is PostgreSQL 11\.22, and synergy-flow needs PostgreSQL 12 or later: upgrade the server, or use SQLite/,
    );
    // Refused before the migrations: no table of the engine's was made, anywhere.
    const tables = await server.query<{ n: string }>(
      db.database,
      `SELECT count(*) AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    );
    expect(Number(tables[0].n)).to.equal(0);
    const connections = await server.query<{ n: string }>(
      'postgres',
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [db.database],
    );
    expect(Number(connections[0].n)).to.equal(0);
  });
});
