import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseUnavailableError } from '../errors';
import { isDiskFull } from './disk-full';

/** Socket errors of a server that is down, restarting or unreachable. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** PostgreSQL: connection exceptions (class 08), and a server shutting down, crashed or starting up (57P01-57P03). */
const SERVER_GONE = /^(08...|57P0[123])$/;
/** What the pg driver says when the server closed a connection under it (these errors carry no code). */
const DRIVER_MESSAGES =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable/i;

/**
 * Whether the database is unreachable rather than the statement wrong: a fresh connection, once
 * the server is back, can run the very same transaction. A transaction that failed this way did
 * not commit, or committed (the connection dropped during COMMIT): every write the engine retries
 * is safe to apply twice.
 */
export function isConnectionLost(err: unknown): boolean {
  for (
    let e = err as { name?: unknown; code?: unknown; message?: unknown; driverError?: unknown } | null | undefined, depth = 0;
    e && depth < 3;
    depth++
  ) {
    // TypeORM releases a query runner whose connection failed; the transaction's next statement then says so.
    if (e.name === 'QueryRunnerAlreadyReleasedError') return true;
    if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || SERVER_GONE.test(e.code))) return true;
    if (typeof e.message === 'string' && DRIVER_MESSAGES.test(e.message)) return true;
    e = e.driverError as typeof e;
  }
  return false;
}

/** Waits between tries: quick at first (a restart takes a second), then every half second. */
const outageBackoff = (attempt: number) => Math.min(500, 25 * 2 ** attempt);

/**
 * Runs `work` again while the database is unreachable, or its disk full, for at most `boundMs`
 * from the first failure; past that, DatabaseUnavailableError (saying which). Any other failure is
 * thrown at once. A full disk is waited for like an outage: freed in time, the run goes on; not,
 * the run stops once the lease's heartbeats (writes too) have failed as long, so its lease has
 * expired and no other engine waits for it, although the disk had no room to delete its row.
 */
export async function retryThroughOutage<T>(work: () => Promise<T>, boundMs: number): Promise<T> {
  let since: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isConnectionLost(err) && !isDiskFull(err)) throw err;
      since ??= performance.now();
      const waited = performance.now() - since;
      if (waited >= boundMs) throw new DatabaseUnavailableError(Math.round(waited), err, isDiskFull(err) ? 'disk-full' : 'outage');
      await sleep(Math.min(outageBackoff(attempt), boundMs - waited));
    }
  }
}
