import { SynergyFlowError } from './synergy-flow.error';

/**
 * The database did not answer (refused connections, dropped them, or was starting up), or had no
 * room on its disk for a write (SQLite's SQLITE_FULL, PostgreSQL's disk_full), for longer than the
 * engine waits through an outage. The run stops; its persisted state is whatever was committed
 * before, and `recover` completes it once the database is back (or its disk has room again).
 */
export class DatabaseUnavailableError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_DATABASE_UNAVAILABLE';

  /**
   * @param waitedMs how long the engine waited, from the first failure
   * @param cause the last failure
   * @param reason `outage`: the server did not answer; `disk-full`: it had no room for the write
   * @param afterwards what happens once the database is back, when the reader has nothing to
   * recover (a scheduler takes its periods up again itself); default: recover the run
   */
  constructor(
    readonly waitedMs: number,
    cause: unknown,
    readonly reason: 'outage' | 'disk-full' = 'outage',
    afterwards?: string,
  ) {
    const problem =
      reason === 'disk-full'
        ? `the disk that holds the database is full: no write had room for ${waitedMs} ms (the bound is lease.ttlMs, after which another engine may take the run over): ${describeCause(cause)}; free space on that disk (or move the database to a larger one)`
        : `the database did not answer for ${waitedMs} ms (the bound is lease.ttlMs, after which another engine may take the run over): ${describeCause(cause)}; check the database server`;
    super(`${problem}${afterwards ? `: ${afterwards}` : ', then recover the run'}`, { cause });
  }

  /** The same failure, saying `afterwards` what happens once the database is back instead of "then recover the run". */
  withAfterwards(afterwards: string): DatabaseUnavailableError {
    return new DatabaseUnavailableError(this.waitedMs, this.cause, this.reason, afterwards);
  }
}

function describeCause(cause: unknown): string {
  const e = cause as { message?: unknown; code?: unknown } | null;
  const message = typeof e?.message === 'string' && e.message ? e.message : String(cause);
  return typeof e?.code === 'string' && !message.includes(e.code) ? `${message} (${e.code})` : message;
}
