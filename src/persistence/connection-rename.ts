import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { applicationNameOf, type ConnectionRole } from './application-name';

/** What of pg's Pool and Client the renaming uses. */
interface PgClient {
  /** pg's resolved connection settings: `application_name` is the user's name (options, url, PGAPPNAME), if any. */
  connectionParameters?: { application_name?: string };
  query(sql: string): Promise<unknown>;
  release(): void;
}
interface PgPool {
  idleCount: number;
  connect(): Promise<PgClient>;
  on(event: 'acquire', listener: (client: PgClient) => void): unknown;
}

/** The name each pool's connections are to have now, once a rename asked for one. */
const wanted = new WeakMap<PgPool, string>();
/** The name each connection was given (absent: the one it connected with), and the SET giving it. */
const given = new WeakMap<PgClient, { name: string; done: Promise<void> }>();

/**
 * PostgreSQL: names an open database's connections for what the process does now (a process that
 * opened its database with `ready()` and then serves or schedules): the idle ones at once, each
 * other one as it is next taken from the pool, before its first query, with `SET application_name`.
 * A connection named by the user (applicationName, the url, extra, PGAPPNAME) keeps its name.
 * Other databases: nothing.
 */
export async function renameConnections(dataSource: DataSource, role: ConnectionRole): Promise<void> {
  if (dataSource.options.type !== 'postgres') return;
  const driver = dataSource.driver as PostgresDriver;
  const pools = [driver.master as PgPool | undefined, ...((driver.slaves ?? []) as PgPool[])].filter((pool) => pool !== undefined);
  await Promise.all(pools.map((pool) => renamePool(pool, applicationNameOf(role))));
}

async function renamePool(pool: PgPool, name: string): Promise<void> {
  if (!wanted.has(pool)) pool.on('acquire', (client) => void nameClient(client, wanted.get(pool)!));
  wanted.set(pool, name);
  // Taking every idle connection at once takes each once (the pool makes no new one while one is idle): each is renamed on acquire.
  // Settled, not all: a connection taken is given back even when another could not be (the pool closing).
  const taken = await Promise.allSettled(Array.from({ length: pool.idleCount }, () => pool.connect()));
  await Promise.all(
    taken.map(async (outcome) => {
      if (outcome.status === 'rejected') return;
      try {
        await given.get(outcome.value)?.done;
      } finally {
        outcome.value.release();
      }
    }),
  );
}

/** Sets the client's name unless it has it already or the user named it; a failed SET leaves the name as it was (the query after it fails too). */
function nameClient(client: PgClient, name: string): Promise<void> {
  if (client.connectionParameters?.application_name) return Promise.resolve();
  const current = given.get(client);
  if (current?.name === name) return current.done;
  const done = client.query(`SET application_name = '${name.replace(/'/g, "''")}'`).then(
    () => undefined,
    () => {
      given.delete(client);
    },
  );
  given.set(client, { name, done });
  return done;
}
