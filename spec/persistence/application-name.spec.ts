import { expect } from 'chai';
import { Client } from 'pg';
import { bootstrap, migrateDatabase, type SynergyFlowApp } from '../../src';
import { HelloWorldFlow, HourlyIngestFlow } from '../../samples';
import { makeTemporaryDirectory, removeTemporaryDirectory } from '../../src/testing/temporary-directory';
import { sharedPostgres, type PostgresServer, type PostgresTestOptions } from '../support/postgres-server';

describe("persistence: PostgreSQL's pg_stat_activity names synergy-flow's sessions, and what the process serves", function () {
  this.timeout(60_000);
  let server: PostgresServer;
  before(async () => (server = await sharedPostgres()));

  /** The application_name of every session of the database but the query's own, as an operator lists them. */
  async function sessionNames(db: PostgresTestOptions): Promise<string[]> {
    const rows = await server.query<{ application_name: string }>(
      db.database,
      'SELECT DISTINCT application_name FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY 1',
    );
    return rows.map((row) => row.application_name);
  }

  /** Bootstraps an application on a database of its own, has it open the database by `use`, and lists the sessions' names. */
  async function namesWhen(
    use: (app: SynergyFlowApp) => Promise<unknown>,
    database: (db: PostgresTestOptions) => Record<string, unknown> = (db) => db,
  ): Promise<string[]> {
    const db = await server.createDatabase();
    const logDirectory = makeTemporaryDirectory('synergy-application-name-');
    const app = await bootstrap({ flows: [HelloWorldFlow, HourlyIngestFlow], database: database(db) as PostgresTestOptions, logDirectory });
    try {
      await use(app);
      return await sessionNames(db);
    } finally {
      await app.close();
      removeTemporaryDirectory(logDirectory);
    }
  }

  it('names the sessions synergy-flow engine, scheduler or viewer, by what the application was first asked for', async () => {
    expect(await namesWhen((app) => app.run('hello_world', { timeperiod: '2026120600' }))).to.deep.equal(['synergy-flow engine']);
    expect(await namesWhen((app) => app.scheduler().pause('hourly_ingest'))).to.deep.equal(['synergy-flow scheduler']);
    expect(
      await namesWhen(async (app) => {
        const viewer = await app.serve({ port: 0 });
        try {
          expect((await fetch(`${viewer.url}api/flows/hello_world/runs`)).status).to.equal(200);
        } finally {
          await viewer.close();
        }
      }),
    ).to.deep.equal(['synergy-flow viewer']);
  });

  it("keeps the user's own name: the applicationName option, ?application_name= in the url, extra.application_name, PGAPPNAME", async () => {
    const ready = (app: SynergyFlowApp) => app.ready();
    expect(await namesWhen(ready, (db) => ({ ...db, applicationName: 'etl-nightly' }))).to.deep.equal(['etl-nightly']);
    const url = (db: PostgresTestOptions) =>
      `postgres://${db.username}:${db.password}@${db.host}:${db.port}/${db.database}?application_name=etl-from-url`;
    expect(await namesWhen(ready, (db) => ({ type: 'postgres', url: url(db) }))).to.deep.equal(['etl-from-url']);
    expect(await namesWhen(ready, (db) => ({ ...db, extra: { application_name: 'etl-extra' } }))).to.deep.equal(['etl-extra']);
    const saved = process.env.PGAPPNAME;
    process.env.PGAPPNAME = 'etl-from-env';
    try {
      expect(await namesWhen(ready)).to.deep.equal(['etl-from-env']);
    } finally {
      if (saved === undefined) delete process.env.PGAPPNAME;
      else process.env.PGAPPNAME = saved;
    }
  });

  it("renames them when the application serves or schedules after its database opened (ready()), keeping a name of the user's", async () => {
    const serveAfterReady = async (app: SynergyFlowApp) => {
      await app.ready();
      const viewer = await app.serve({ port: 0 });
      try {
        expect((await fetch(`${viewer.url}api/flows/hello_world/runs`)).status).to.equal(200);
      } finally {
        await viewer.close();
      }
    };
    expect(await namesWhen(serveAfterReady)).to.deep.equal(['synergy-flow viewer']);
    expect(
      await namesWhen(async (app) => {
        await app.run('hello_world', { timeperiod: '2026120600' });
        await app.scheduler().pause('hourly_ingest');
      }),
    ).to.deep.equal(['synergy-flow scheduler']);
    expect(await namesWhen(serveAfterReady, (db) => ({ ...db, applicationName: 'etl-nightly' }))).to.deep.equal(['etl-nightly']);
  });

  it("names migrateDatabase()'s sessions synergy-flow migrate", async () => {
    const db = await server.createDatabase();
    // Holding the migration lock keeps migrateDatabase() connected, waiting, while its sessions are listed.
    const holder = new Client({ host: db.host, port: db.port, user: db.username, password: db.password, database: db.database });
    await holder.connect();
    await holder.query("SELECT set_config('application_name', 'lock-holder', false), pg_advisory_lock($1)", ['7461776310']);
    let migrating: Promise<string[]> | undefined;
    try {
      migrating = migrateDatabase(db);
      let names: string[] = [];
      for (const started = Date.now(); Date.now() - started < 10_000; await new Promise((resolve) => setTimeout(resolve, 50))) {
        names = await sessionNames(db);
        if (names.length > 1) break;
      }
      expect(names).to.deep.equal(['lock-holder', 'synergy-flow migrate']);
    } finally {
      await holder.end();
      await migrating;
    }
  });
});
