/** SQLite's and PostgreSQL's (class 53, disk_full) codes for a write the disk had no room for, and the system's. */
const DISK_FULL_CODES = new Set(['SQLITE_FULL', '53100', 'ENOSPC']);

/**
 * Whether a write failed because the disk that holds the database is full. Nothing about the
 * statement is wrong: the same transaction commits once space is freed, so the engine waits for
 * it as through an outage (retryThroughOutage), and says "disk full" if it waits in vain.
 */
export function isDiskFull(err: unknown): boolean {
  for (let e = err as { code?: unknown; driverError?: unknown } | null | undefined, depth = 0; e && depth < 3; depth++) {
    if (typeof e.code === 'string' && DISK_FULL_CODES.has(e.code)) return true;
    e = e.driverError as typeof e;
  }
  return false;
}
