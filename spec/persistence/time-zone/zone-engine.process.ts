/**
 * One engine process in the time zone its TZ says, for the time zone specs: bootstraps the failing
 * daily flow on the database it is given (SYNERGY_ZONE_ENGINE, JSON), does one thing, prints what
 * it read as one JSON line (every time as ISO text, an absolute instant) and exits.
 */
import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { bootstrap, migrateDatabase, type BootstrapOptions } from '../../../src';
import { MIGRATIONS, MIGRATIONS_TABLE } from '../../../src/persistence';
import { FAILING_FLOW, failingDailyFlow } from './failing-daily.flow';

/** `fail`: run the period (it fails); `read`: read its times back; `migrate`: migrateDatabase only; `undo`: revert the last `count` migrations. */
export type ZoneEngineRequest =
  | { action: 'migrate'; database: Database }
  | { action: 'undo'; database: Database; count: number }
  | {
      action: 'fail' | 'read';
      database: Database;
      logDirectory: string;
      /** The period run and read, also the schedule's start. */
      timeperiod: string;
      /** `read`: the instants (ISO) a scheduler tick is made at. */
      tickAt?: string[];
    };

type Database = NonNullable<BootstrapOptions['database']>;

export interface ZoneEngineReply {
  /** The zone the process ran in, as the migration reads it. */
  zone: string;
  /** `fail`: the real clock just before and just after the run. */
  before?: string;
  after?: string;
  /** `read`: the times of the run as this process reads them. */
  flow?: { startedAt: string; finishedAt: string };
  step?: { startedAt: string; finishedAt: string };
  run?: { startedAt: string; finishedAt: string };
  attempt?: { startedAt: string; finishedAt: string };
  plan?: { status: string; dueAt: string };
  /** For each `tickAt`: the periods the tick started. */
  ticks?: string[][];
  applied?: string[];
  /** `undo`: the migrations reverted, last first. */
  undone?: string[];
}

type Times = { startedAt: Date | null; finishedAt: Date | null };
const iso = (times: Times) => ({ startedAt: times.startedAt!.toISOString(), finishedAt: times.finishedAt!.toISOString() });

async function main(request: ZoneEngineRequest): Promise<ZoneEngineReply> {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (request.action === 'migrate') return { zone, applied: await migrateDatabase(request.database) };
  if (request.action === 'undo') return { zone, undone: await undoMigrations(request.database, request.count) };
  const app = await bootstrap({
    flows: [failingDailyFlow(request.timeperiod)],
    database: request.database,
    logDirectory: request.logDirectory,
    handleSignals: false,
  });
  try {
    await app.ready(); // the schema, brought up to date before the clock is read
    if (request.action === 'fail') {
      const before = new Date().toISOString();
      await app.run(FAILING_FLOW, { timeperiod: request.timeperiod });
      return { zone, before, after: new Date().toISOString() };
    }
    const status = await app.status(FAILING_FLOW, request.timeperiod);
    const [run] = await app.history(FAILING_FLOW);
    const scheduler = app.scheduler();
    const [planned] = await scheduler.plan(FAILING_FLOW, { limit: 1 });
    const ticks: string[][] = [];
    for (const at of request.tickAt ?? []) ticks.push((await scheduler.tick(new Date(at))).triggered.map((t) => t.timeperiod));
    await scheduler.stop();
    return {
      zone,
      flow: iso(status.flow),
      step: iso(status.steps[0]),
      run: iso(run),
      attempt: iso(run.attempts[0]),
      plan: { status: planned.status, dueAt: planned.dueAt.toISOString() },
      ticks,
    };
  } finally {
    await app.close();
  }
}

/** What an operator's `typeorm migration:revert` does, `count` times: each migration's down(), in a transaction. */
async function undoMigrations(database: Database, count: number): Promise<string[]> {
  const dataSource = new DataSource({
    ...database,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    logging: false,
  } as DataSourceOptions);
  await dataSource.initialize();
  try {
    const escape = (name: string) => dataSource.driver.escape(name);
    const schema = (database as { schema?: string }).schema;
    const table = schema ? `${escape(schema)}.${escape(MIGRATIONS_TABLE)}` : escape(MIGRATIONS_TABLE);
    const undone: string[] = [];
    for (let i = 0; i < count; i++) {
      const [last] = await dataSource.query<Array<{ name: string }>>(`SELECT name FROM ${table} ORDER BY timestamp DESC LIMIT 1`);
      await dataSource.undoLastMigration({ transaction: 'all' });
      undone.push(last.name);
    }
    return undone;
  } finally {
    await dataSource.destroy();
  }
}

main(JSON.parse(process.env.SYNERGY_ZONE_ENGINE!) as ZoneEngineRequest).then(
  (reply) => console.log(JSON.stringify(reply)),
  (err: unknown) => {
    console.error((err as Error)?.stack ?? String(err));
    process.exitCode = 1;
  },
);
