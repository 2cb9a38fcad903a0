import type { DatabaseOptions } from './database-options';

/** The least time a transaction may sit idle: a loaded machine can pause a healthy engine for a second. */
const MIN_IDLE_TRANSACTION_MS = 10_000;

/**
 * PostgreSQL: the options with `idle_in_transaction_session_timeout` set on every connection, to
 * the lease TTL (at least 10 s). A transaction of several round trips (a lease renewal, a run's
 * set-up) holds its row locks until it ends; an engine stopped between two of its statements
 * (SIGSTOP, a frozen VM) would hold them for as long as it is stopped, and the engine that takes
 * its expired lease over would wait on that lock for ever. The server now ends such a session
 * once it has sat idle that long, which rolls its transaction back and frees its locks; the
 * stopped engine, when it wakes up, finds its connection gone and its lease lost. An `extra`
 * of the application's own that sets it wins. Other databases: the options as they are.
 */
export function boundStalledTransactions(options: DatabaseOptions, leaseTtlMs: number): DatabaseOptions {
  if (options.type !== 'postgres') return options;
  const extra = (options as { extra?: Record<string, unknown> }).extra;
  return {
    ...options,
    extra: { idle_in_transaction_session_timeout: Math.max(leaseTtlMs, MIN_IDLE_TRANSACTION_MS), ...extra },
  };
}
