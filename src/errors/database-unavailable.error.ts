import { SynergyFlowError } from './synergy-flow.error';

/**
 * The database did not answer (refused connections, dropped them, or was starting up) for longer
 * than the engine waits through an outage. The run stops; its persisted state is whatever was
 * committed before, and `recover` completes it once the database is back.
 */
export class DatabaseUnavailableError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_DATABASE_UNAVAILABLE';

  constructor(
    readonly waitedMs: number,
    cause: unknown,
  ) {
    super(
      `the database did not answer for ${waitedMs} ms (the bound is lease.ttlMs, after which another engine may take the run over): ${describeCause(cause)}; check the database server, then recover the run`,
      { cause },
    );
  }
}

function describeCause(cause: unknown): string {
  const e = cause as { message?: unknown; code?: unknown } | null;
  const message = typeof e?.message === 'string' && e.message ? e.message : String(cause);
  return typeof e?.code === 'string' && !message.includes(e.code) ? `${message} (${e.code})` : message;
}
