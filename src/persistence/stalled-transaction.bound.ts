import type { DatabaseOptions } from './database-options';

/** The least time a transaction may sit idle: a loaded machine can pause a healthy engine for a second. */
const MIN_IDLE_TRANSACTION_MS = 10_000;

/** The connection hook pg's pool runs on each new connection before handing it out (pg-pool 3.14, which pg 8.23 requires). */
type OnConnect = (client: { query(sql: string): Promise<unknown> }) => unknown;

/**
 * PostgreSQL: the options with `idle_in_transaction_session_timeout` set on every connection, to
 * the lease TTL (at least 10 s). A transaction of several round trips (a lease renewal, a run's
 * set-up) holds its row locks until it ends; an engine stopped between two of its statements
 * (SIGSTOP, a frozen VM) would hold them for as long as it is stopped, and the engine that takes
 * its expired lease over would wait on that lock for ever. The server now ends such a session
 * once it has sat idle that long, which rolls its transaction back and frees its locks; the
 * stopped engine, when it wakes up, finds its connection gone and its lease lost.
 *
 * It is a `SET` once each connection is made (pg's `onConnect`), not a startup parameter: a
 * connection pooler such as PgBouncer refuses startup parameters it does not know, and one told
 * to ignore it drops it, which silently took the protection away. An application's own
 * `onConnect` runs after this one; an `extra.idle_in_transaction_session_timeout` of its own
 * (a startup parameter) wins. Other databases: the options as they are.
 */
export function boundStalledTransactions(options: DatabaseOptions, leaseTtlMs: number): DatabaseOptions {
  if (options.type !== 'postgres') return options;
  const extra = (options as { extra?: Record<string, unknown> }).extra ?? {};
  if (extra.idle_in_transaction_session_timeout !== undefined) return options;
  const boundMs = Math.round(Math.max(leaseTtlMs, MIN_IDLE_TRANSACTION_MS));
  const own = extra.onConnect as OnConnect | undefined;
  const onConnect: OnConnect = async (client) => {
    await client.query(`SET idle_in_transaction_session_timeout = ${boundMs}`);
    if (own) await own(client);
  };
  return { ...options, extra: { ...extra, onConnect } };
}
