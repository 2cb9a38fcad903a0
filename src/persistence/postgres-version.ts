/**
 * The oldest PostgreSQL the engine runs on. Its group commits set `plan_cache_mode` for their
 * transaction (BATCH_PLAN_SETTINGS), a setting PostgreSQL 12 introduced: on an older server every
 * multi-row commit would fail with "unrecognized configuration parameter" in the middle of a run.
 */
export const MIN_POSTGRES_MAJOR = 12;

/**
 * Throws, saying what to do, unless `version` (TypeORM's reading of `SELECT version()`: "18.4",
 * "9.6.24") is MIN_POSTGRES_MAJOR or later. A version it cannot read (a fork that names itself
 * differently, say) passes: the server is then judged by what it does, not refused on a guess.
 */
export function assertSupportedPostgres(version: string | undefined): void {
  const major = Number.parseInt(version ?? '', 10);
  if (Number.isNaN(major) || major >= MIN_POSTGRES_MAJOR) return;
  throw new Error(
    `the server is PostgreSQL ${version}, and synergy-flow needs PostgreSQL ${MIN_POSTGRES_MAJOR} or later: upgrade the server, or use SQLite (the default database)`,
  );
}
