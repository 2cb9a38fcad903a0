import * as path from 'node:path';
import type { DatabaseOptions } from './database-options';
import { basicAuthSecret } from '../logging/redaction';

// Apart from data-source.factory: bootstrap() and the read-only CLI commands need these without loading TypeORM.

/** The database options' secrets: the password, given alone or inside the URL, and its Basic authentication form with the user. */
export function databaseSecrets(options: DatabaseOptions | undefined): string[] {
  const o = (options ?? {}) as Record<string, unknown>;
  const url = typeof o.url === 'string' ? urlCredentials(o.url) : undefined;
  const pairs = [
    [o.username, o.password],
    [url?.user, url?.password],
  ].filter((pair): pair is [string, string] => pair.every((s) => typeof s === 'string' && s.length > 0));
  const passwords = [o.password, url?.password].filter((s): s is string => typeof s === 'string' && s.length > 0);
  return [...passwords, ...pairs.map(([user, password]) => basicAuthSecret(user, password))];
}

function urlCredentials(url: string): { user: string; password: string } | undefined {
  try {
    const parsed = new URL(url);
    return { user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
  } catch {
    return undefined;
  }
}

/** Which database an application reads, for a person: the type and where, never a password. */
export function describeDatabase(options: DatabaseOptions): string {
  const o = options as Record<string, unknown>;
  // A relative SQLite file is relative to the current directory, which is what a user needs to see.
  const sqliteFile = typeof o.database === 'string' && !o.url && !o.host && o.database !== ':memory:' && /sqlite/.test(String(o.type));
  return sqliteFile ? `${String(o.type)} '${path.resolve(o.database as string)}'` : `${String(o.type)}${describeTarget(options)}`;
}

/** Names the database without credentials (a URL loses its password). */
export function describeTarget(options: DatabaseOptions): string {
  const o = options as Record<string, unknown>;
  if (typeof o.database === 'string' && !o.url && !o.host) return ` '${o.database}'`;
  if (typeof o.url === 'string') {
    try {
      const url = new URL(o.url);
      return ` at ${url.host}${url.pathname}`;
    } catch {
      return '';
    }
  }
  return o.host ? ` at ${String(o.host)}:${String(o.port ?? '')}` : '';
}

/**
 * The absolute path of the SQLite file these options open, or undefined when they open no file
 * (another database, `:memory:`). Opening a missing file creates it.
 */
export function sqliteFileOf(options: DatabaseOptions): string | undefined {
  const o = options as Record<string, unknown>;
  if (!/sqlite/.test(String(o.type)) || typeof o.database !== 'string' || o.database === ':memory:' || o.database === '') return undefined;
  return path.resolve(o.database);
}
