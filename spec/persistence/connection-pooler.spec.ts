import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { bootstrap } from '../../src';
import { DatabaseSetupError } from '../../src/errors';
import { HelloWorldFlow } from '../../samples';
import { freePort } from '../support/free-port';
import { sharedPostgres, type PostgresTestOptions } from '../support/postgres-server';
import { PGBOUNCER, requireSystemTool } from '../support/system-tool';

/** A real PgBouncer (Debian's package) in front of the spec's PostgreSQL, with these settings. */
interface Bouncer {
  options: PostgresTestOptions;
  stop(): void;
}

async function startBouncer(db: PostgresTestOptions, settings: Record<string, string>): Promise<Bouncer> {
  // Under /tmp and readable by all: as root, PgBouncer runs as the `postgres` user (it refuses root).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-pgbouncer-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const users = path.join(dir, 'users.txt');
  fs.writeFileSync(users, `"${db.username}" "${db.password}"\n`, { mode: 0o644 });
  const ini = path.join(dir, 'pgbouncer.ini');
  const lines = [
    '[databases]',
    `${db.database} = host=${db.host} port=${db.port} dbname=${db.database}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = plain',
    `auth_file = ${users}`,
    ...Object.entries(settings).map(([key, value]) => `${key} = ${value}`),
  ];
  fs.writeFileSync(ini, lines.join('\n') + '\n', { mode: 0o644 });
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(PGBOUNCER.command, [...(asRoot ? ['-u', 'postgres'] : []), ini], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const stop = () => {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let waited = 0; ; waited += 50) {
    const listening = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (listening) break;
    if (waited > 10_000 || child.exitCode !== null) {
      stop();
      throw new Error(`PgBouncer did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { options: { ...db, port }, stop };
}

/**
 * Behind a connection pooler (docs/postgres.md, "Connection poolers"): PgBouncer in session mode
 * works once it lets the engine's startup parameter through; without that, opening the database
 * fails with an error that says what to do.
 */
describe('persistence: PostgreSQL behind a connection pooler (PgBouncer)', function () {
  this.timeout(60_000);
  let db: PostgresTestOptions;
  let bouncer: Bouncer | undefined;

  before(async function () {
    requireSystemTool(this, PGBOUNCER);
    db = await (await sharedPostgres()).createDatabase();
  });
  afterEach(() => {
    bouncer?.stop();
    bouncer = undefined;
  });

  it('a pooler that refuses the engine’s startup parameter: the error names it and where the fix is', async () => {
    bouncer = await startBouncer(db, { pool_mode: 'session' });
    const logDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-pgbouncer-logs-'));
    const app = await bootstrap({ flows: [HelloWorldFlow], database: bouncer.options, logDirectory });
    const err = await app.ready().then(
      () => expect.fail('PgBouncer accepted a startup parameter it does not know'),
      (e: unknown) => e,
    );
    await app.close();
    fs.rmSync(logDirectory, { recursive: true, force: true });
    expect(err).to.be.instanceOf(DatabaseSetupError);
    expect((err as Error).message).to.include('unsupported startup parameter: idle_in_transaction_session_timeout');
    expect((err as Error).message).to.include('see docs/postgres.md, "Connection poolers"');
    expect((err as Error).message).not.to.include(db.password);
  });

  it('session pooling with the parameter let through: concurrent runs all processed, every row written', async () => {
    bouncer = await startBouncer(db, {
      pool_mode: 'session',
      ignore_startup_parameters: 'idle_in_transaction_session_timeout',
      default_pool_size: '10',
    });
    const logDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-pgbouncer-logs-'));
    const app = await bootstrap({ flows: [HelloWorldFlow], database: bouncer.options, logDirectory, cluster: { type: 'local', count: 2 } });
    try {
      const timeperiods = ['2026120600', '2026120601', '2026120602', '2026120603'];
      for (let round = 0; round < 2; round++) {
        const results = await Promise.all(timeperiods.map((timeperiod) => app.run('hello_world', { timeperiod })));
        expect(results.map((r) => r.state)).to.deep.equal(['processed', 'processed', 'processed', 'processed']);
      }
    } finally {
      await app.close();
      fs.rmSync(logDirectory, { recursive: true, force: true });
    }
    const server = await sharedPostgres();
    const rows = await server.query<{ state: string; n: string }>(db.database, 'SELECT state, count(*) AS n FROM step GROUP BY state');
    expect(rows.map((r) => [r.state, Number(r.n)])).to.deep.equal([['processed', 8]]);
  });
});
