import { ConfigurationError } from '../errors/configuration.error';
import { DEFAULT_DATABASE_OPTIONS } from './database-defaults';
import type { DatabaseOptions } from './database-options';

/** `scheme://` at the start of a value: a URL, never a SQLite file a user meant. */
const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const POSTGRES_SCHEME = /^postgres(ql)?$/i;

/**
 * The database and log directory an application gets when bootstrap() is not told: from
 * `SYNERGY_FLOW_DATABASE` (a SQLite file, or a `postgres://` URL) and `SYNERGY_FLOW_LOGS`, else
 * `synergy-flow.db` and `logs` in the current directory. A cron job starts in another folder than
 * a developer's shell: the environment lets both find the same state without code changes.
 *
 * A URL of any other scheme (`postgresql+psycopg://`, `pg://`, `mysql://`) is refused: taken as a
 * file path, it ran the flows on a new empty SQLite file, and made directories named after its
 * user and password.
 */
export function databaseFromEnvironment(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  const value = env.SYNERGY_FLOW_DATABASE?.trim();
  if (!value) return { ...DEFAULT_DATABASE_OPTIONS };
  const scheme = URL_SCHEME.exec(value)?.[1];
  if (scheme === undefined) return { type: 'better-sqlite3', database: value };
  if (POSTGRES_SCHEME.test(scheme)) return { type: 'postgres', url: value };
  // Only the scheme is quoted: the rest of the URL may hold a password.
  throw new ConfigurationError('The environment variables', [
    {
      path: 'SYNERGY_FLOW_DATABASE',
      message:
        `is a '${scheme}://' URL, which synergy-flow cannot open: give a postgres:// or postgresql:// URL ` +
        `for PostgreSQL (as psql takes it, without a driver suffix), or the path of a SQLite file (not a URL)`,
    },
  ]);
}

export function logDirectoryFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  return env.SYNERGY_FLOW_LOGS?.trim() || 'logs';
}
