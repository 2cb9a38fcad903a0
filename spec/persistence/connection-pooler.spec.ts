import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { bootstrap } from '../../src';
import { DatabaseSetupError } from '../../src/errors';
import { createDataSource } from '../../src/persistence';
import { boundStalledTransactions } from '../../src/persistence/stalled-transaction.bound';
import { HelloWorldFlow } from '../../samples';
import { freePort } from '../support/free-port';
import { sharedPostgres, type PostgresTestOptions } from '../support/postgres-server';
import { PGBOUNCER, requireSystemTool } from '../support/system-tool';
import { freshSchema } from '../../src/persistence/fresh-schema';
import { lockHeldByStoppedEngine, sessionSetting } from './fixtures/stalled-transaction';

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
 * works with its defaults but the pool size, and the engine's bound on a stalled transaction
 * holds there too; a startup parameter of the application's that PgBouncer refuses gives an
 * error that says what to do.
 */
describe('persistence: PostgreSQL behind a connection pooler (PgBouncer)', function () {
  this.timeout(60_000);
  let db: PostgresTestOptions;
  let bouncer: Bouncer | undefined;
  const opened: DataSource[] = [];

  before(async function () {
    requireSystemTool(this, PGBOUNCER);
    db = await (await sharedPostgres()).createDatabase();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.destroy().catch(() => undefined)));
    bouncer?.stop();
    bouncer = undefined;
  });

  it('a startup parameter of the application’s that the pooler refuses: the error names it and the fix', async () => {
    bouncer = await startBouncer(db, { pool_mode: 'session' });
    const logDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-pgbouncer-logs-'));
    const database = { ...bouncer.options, extra: { statement_timeout: 5_000 } };
    const app = await bootstrap({ flows: [HelloWorldFlow], database, logDirectory });
    const err = await app.ready().then(
      () => expect.fail('PgBouncer accepted a startup parameter it does not know'),
      (e: unknown) => e,
    );
    await app.close();
    fs.rmSync(logDirectory, { recursive: true, force: true });
    expect(err).to.be.instanceOf(DatabaseSetupError);
    expect((err as Error).message).to.include('unsupported startup parameter: statement_timeout');
    expect((err as Error).message).to.include("set statement_timeout on the engine's database role");
    expect((err as Error).message).to.include('see docs/postgres.md, "Connection poolers"');
    expect((err as Error).message).not.to.include(db.password);
  });

  it('session pooling, no setting of PgBouncer’s but the pool size: concurrent runs all processed, every row written', async () => {
    bouncer = await startBouncer(db, { pool_mode: 'session', default_pool_size: '10' });
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

  it('session pooling: a transaction left open by a stopped engine is still ended by the server after the bound', async () => {
    bouncer = await startBouncer(db, { pool_mode: 'session', default_pool_size: '10' });
    // A schema of its own (the migrations create it): the runs above left lease rows in the default one.
    const { options } = freshSchema(bouncer.options);
    const open = async (o: typeof options) => {
      const dataSource = await createDataSource(o);
      opened.push(dataSource);
      return dataSource;
    };
    const stopped = await open(boundStalledTransactions(options, 1_000));
    expect(await sessionSetting(stopped, 'idle_in_transaction_session_timeout')).to.equal('10s');
    const other = await open(options);
    const waitedMs = await lockHeldByStoppedEngine(stopped, other);
    expect(waitedMs, 'the lock was held until the bound, then freed').to.be.within(9_000, 25_000);
  });
});
