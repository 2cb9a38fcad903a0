import { DEFAULT_DATABASE_OPTIONS } from './database-defaults';
import type { DatabaseOptions } from './database-options';

/**
 * The database and log directory an application gets when bootstrap() is not told: from
 * `SYNERGY_FLOW_DATABASE` (a SQLite file, or a `postgres://` URL) and `SYNERGY_FLOW_LOGS`, else
 * `synergy-flow.db` and `logs` in the current directory. A cron job starts in another folder than
 * a developer's shell: the environment lets both find the same state without code changes.
 */
export function databaseFromEnvironment(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  const value = env.SYNERGY_FLOW_DATABASE?.trim();
  if (!value) return { ...DEFAULT_DATABASE_OPTIONS };
  return /^postgres(ql)?:\/\//i.test(value) ? { type: 'postgres', url: value } : { type: 'better-sqlite3', database: value };
}

export function logDirectoryFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  return env.SYNERGY_FLOW_LOGS?.trim() || 'logs';
}
