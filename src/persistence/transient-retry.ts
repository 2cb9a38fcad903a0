import { setTimeout as sleep } from 'node:timers/promises';

export interface TransientRetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before try `attempt + 1`, in ms. */
  delayMs: (attempt: number) => number;
  /** Which failures another try can cure; default: lock contention (isTransient). */
  retryable?: (err: unknown) => boolean;
}

/** Lock contention a fresh attempt can win: SQLite busy/locked, PostgreSQL 40001 and 40P01. */
export function isTransient(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === '40001' || code === '40P01')
  );
}

/**
 * Runs `work` again while it fails with lock contention that outlasted the database's own wait
 * (several engine processes on one database); any other failure, or the last one, is thrown.
 */
export async function retryTransient<T>(work: () => Promise<T> | T, options: TransientRetryOptions): Promise<T> {
  const retryable = options.retryable ?? isTransient;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= options.attempts || !retryable(err)) throw err;
      await sleep(options.delayMs(attempt));
    }
  }
}

/** Exponential with jitter, for retrying a whole transaction. */
const transactionBackoff = (attempt: number) => 10 * 2 ** attempt + Math.random() * 10;

/** How a whole transaction is retried: by the transaction runner and the SQLite batch committer alike. */
export const TRANSACTION_RETRY: TransientRetryOptions = { attempts: 5, delayMs: transactionBackoff };

/** Linear with jitter, for engines racing to open or migrate a fresh SQLite file: the losers find the work done. */
export const startupBackoff = (attempt: number) => 20 * attempt + Math.random() * 20;
