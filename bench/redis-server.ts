import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readyLine } from '../spec/support/ready-line';
import { scratchDirectory } from './scratch';
import { freePort } from '../spec/support/free-port';

export interface RedisServer {
  port: number;
  stop(): Promise<void>;
}

/** What to print, or fail with, when Debian's redis-server is not installed. */
export const REDIS_MISSING =
  'redis-server not found (on PATH, or where SYNERGY_BENCH_REDIS_SERVER says): BullMQ skipped (install it with: apt-get install redis-server)';

/** Names the redis-server binary to use instead of the one on PATH (missing file: BullMQ is skipped). */
export const REDIS_SERVER_ENV = 'SYNERGY_BENCH_REDIS_SERVER';

/** The redis-server binary (SYNERGY_BENCH_REDIS_SERVER, else on PATH), or undefined. */
export function redisServerBinary(): string | undefined {
  const named = process.env[REDIS_SERVER_ENV];
  if (named) return fs.existsSync(named) ? named : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'redis-server');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Starts Debian's redis-server on a free loopback port with a fresh data directory, with the
 * durability BullMQ's users pick for a queue they cannot lose: the append-only file, fsynced
 * every second (`--appendonly yes --appendfsync everysec`), and no RDB snapshots. Undefined when
 * the binary is missing.
 */
export async function startRedis(): Promise<RedisServer | undefined> {
  const binary = redisServerBinary();
  if (!binary) return undefined;
  const port = await freePort();
  const dir = scratchDirectory('redis-');
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--daemonize',
      'no',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await readyLine(child, 'redis-server', (line) => line.includes('Ready to accept connections'));
  child.stdout.resume();
  // Unlike the PostgreSQL child, redis-server does not stop when its parent goes: a bench that
  // exits on an error or a Ctrl-C (scratch.ts turns both into an exit) must not leave it running.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  return {
    port,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
