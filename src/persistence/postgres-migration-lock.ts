import type { DataSource } from 'typeorm';
import { qualifiedName } from './history/attempt-ids';

/** pg_advisory_lock key of "synergy-flow migrations" (any constant works; it only has to be ours). */
const MIGRATION_LOCK_KEY = 7_461_776_310n;
/**
 * How long an engine waits for another to finish migrating. Migrations take milliseconds to
 * seconds; a holder that keeps the lock longer is stopped or hung (a paused VM, SIGSTOP), and its
 * session-level lock is never freed by PostgreSQL while its connection lives.
 */
const MIGRATION_LOCK_WAIT_MS = 120_000;
const POLL_MS = 100;

/**
 * True when the database lacks one of the checked-in migrations. Read without any lock, and
 * without creating the migrations table as TypeORM's showMigrations() would: on every start but a
 * release's first, nothing is pending and the migration lock is never taken, so a stopped engine
 * that holds it stops nobody.
 */
export async function hasPendingMigrations(dataSource: DataSource): Promise<boolean> {
  const { migrationsTableName = 'migrations' } = dataSource.options as { migrationsTableName?: string };
  const table = qualifiedName(dataSource.manager, migrationsTableName);
  let applied: Set<string>;
  try {
    applied = new Set((await dataSource.query<Array<{ name: string }>>(`SELECT name FROM ${table}`)).map((row) => row.name));
  } catch {
    return true; // no migrations table (or schema) yet: a fresh database
  }
  return dataSource.migrations.some((migration) => !applied.has(migration.name ?? migration.constructor.name));
}

/**
 * Runs `work` holding synergy-flow's migration lock, so engines starting together on a fresh
 * database migrate one after the other. Waits at most `waitMs`, then fails naming the session that
 * holds the lock and how to end it, instead of hanging every start behind a stopped engine.
 */
export async function withMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>, waitMs = MIGRATION_LOCK_WAIT_MS): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const deadline = Date.now() + waitMs;
    while (!(await tryLock(runner.query.bind(runner)))) {
      if (Date.now() >= deadline) throw new Error(await lockHeldMessage(dataSource, waitMs));
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [String(MIGRATION_LOCK_KEY)]);
    }
  } finally {
    await runner.release();
  }
}

async function tryLock(query: (sql: string, parameters: unknown[]) => Promise<unknown>): Promise<boolean> {
  const [row] = (await query('SELECT pg_try_advisory_lock($1) AS locked', [String(MIGRATION_LOCK_KEY)])) as Array<{ locked: boolean }>;
  return row.locked === true;
}

async function lockHeldMessage(dataSource: DataSource, waitMs: number): Promise<string> {
  // A bigint advisory key is stored as its high (classid) and low (objid) 32 bits, objsubid 1; an
  // advisory lock only conflicts within its database, and other databases of the server have theirs.
  const holders = await dataSource.query<
    Array<{ pid: number; application_name: string; client: string | null; state: string; seconds: number }>
  >(
    `SELECT a.pid, a.application_name, a.client_addr::text AS client, a.state,
            floor(extract(epoch FROM now() - a.state_change))::int AS seconds
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = $1 AND l.objid::bigint = $2
        AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [String(MIGRATION_LOCK_KEY >> 32n), String(MIGRATION_LOCK_KEY & 0xffffffffn)],
  );
  const holder = holders[0];
  const who = holder
    ? `the PostgreSQL session of backend pid ${holder.pid} (application '${holder.application_name}', client ${holder.client ?? 'local'}, ${holder.state} for ${holder.seconds} s)`
    : 'another session';
  return (
    `another engine has held synergy-flow's migration lock for over ${Math.round(waitMs / 1000)} s: ${who}. ` +
    `If that engine is stopped or hung, end its session (SELECT pg_terminate_backend(${holder?.pid ?? '<pid>'})) and start again`
  );
}
