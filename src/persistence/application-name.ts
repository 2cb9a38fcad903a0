import type { DatabaseOptions } from './database-options';

/**
 * What a process's connections serve, as PostgreSQL's `pg_stat_activity.application_name` names it:
 * `migrate` for migrateDatabase()'s.
 */
export type ConnectionRole = 'engine' | 'scheduler' | 'viewer' | 'migrate';

/** The name of a role's connections: `synergy-flow scheduler`. */
export function applicationNameOf(role: ConnectionRole): string {
  return `synergy-flow ${role}`;
}

/**
 * PostgreSQL: the options with every connection named `synergy-flow <role>` (`synergy-flow
 * scheduler`), so that an operator reading pg_stat_activity, or a lock's holder in an error, can
 * tell the engine's sessions from others'; the driver's name was empty. Given as pg's
 * `fallback_application_name`, which pg uses only when no name is given anywhere else: the
 * `applicationName` option, `?application_name=` in the url, `extra.application_name` or the
 * environment's PGAPPNAME all win. The name goes in the startup message, as any client's does
 * (connection poolers such as PgBouncer know it). A process whose role changes once its database is
 * open renames them (renameConnections). Other databases: the options as they are.
 */
export function withApplicationName(options: DatabaseOptions, role: ConnectionRole): DatabaseOptions {
  if (options.type !== 'postgres') return options;
  const extra = (options as { extra?: Record<string, unknown> }).extra ?? {};
  return { ...options, extra: { fallback_application_name: applicationNameOf(role), ...extra } };
}
