import 'reflect-metadata';
import * as path from 'node:path';
import { Client } from 'pg';
import { bootstrap } from '../src';
import { startPostgres, type PostgresServer } from '../spec/support/postgres-server';
import { noOpFlow, type FlowShape } from './no-op-flows';
import { scratchDirectory } from './scratch';
import { perSecond } from './stats';

/** What the engine's process sent to PostgreSQL, counted in the driver: each `query()` is one round trip. */
class QueryCounter {
  readonly byKind = new Map<string, number>();
  total = 0;

  install(): void {
    const count = (text: string) => this.count(text);
    const original = Reflect.get(Client.prototype, 'query') as (...args: unknown[]) => unknown;
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const first = args[0] as string | { text?: string };
      count(typeof first === 'string' ? first : (first?.text ?? ''));
      return original.apply(this, args);
    } as typeof Client.prototype.query;
  }

  reset(): void {
    this.byKind.clear();
    this.total = 0;
  }

  private count(text: string): void {
    this.total++;
    const kind = text.trimStart().split(/\s+/, 1)[0].toUpperCase() || '?';
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
  }
}

/** The server's own counters for a database: committed transactions, and WAL fsyncs of the whole server. */
async function serverCounters(server: PostgresServer, database: string): Promise<{ commits: number; walFsyncs: number }> {
  const [db] = await server.query<{ xact_commit: string }>('postgres', 'SELECT xact_commit FROM pg_stat_database WHERE datname = $1', [
    database,
  ]);
  const [wal] = await server.query<{ fsyncs: string | null }>(
    'postgres',
    "SELECT sum(fsyncs) AS fsyncs FROM pg_stat_io WHERE object = 'wal'",
  );
  return { commits: Number(db.xact_commit), walFsyncs: Number(wal.fsyncs ?? 0) };
}

/**
 * The floor of a durable commit on this server and disk, measured in the same process: `commits`
 * single-row UPDATEs, each its own transaction, one after the other on one connection.
 */
async function commitFloorMs(server: PostgresServer, commits: number): Promise<number> {
  const options = await server.createDatabase();
  const { type: _type, username: user, ...rest } = options;
  const client = new Client({ ...rest, user });
  await client.connect();
  try {
    await client.query('CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
    await client.query('INSERT INTO counter VALUES (1, 0)');
    const started = performance.now();
    for (let i = 0; i < commits; i++) await client.query('UPDATE counter SET n = n + 1 WHERE id = $1', [1]);
    return (performance.now() - started) / commits;
  } finally {
    await client.end();
  }
}

/**
 * Where a synergy-flow run on PostgreSQL spends its round trips: for each shape, a warm-up run
 * then a measured one in one application (4 local clusters, PostgreSQL's durable defaults), the
 * statements the engine's driver sent during the measured run by kind, per step; the server's
 * committed transactions and WAL fsyncs over the application's life (both runs), per step: the
 * server publishes a connection's counters when it closes, so they are read after app.close().
 * Then the floor: what one durable commit costs on this server and disk.
 *
 *   node dist/bench/postgres-round-trips.js [steps=1000] [shapes=chain,layered,independent] [async]
 */
async function main(): Promise<void> {
  const steps = Number(process.argv[2] ?? 1_000);
  const shapes = (process.argv[3] ?? 'chain,layered,independent').split(',') as FlowShape[];
  const counter = new QueryCounter();
  counter.install();
  const server = await startPostgres({ durable: true });
  try {
    for (const shape of shapes) {
      const flow = noOpFlow(shape, steps);
      const database = await server.createDatabase();
      const before = await serverCounters(server, database.database);
      const app = await bootstrap({
        flows: [flow.flowClass],
        // `async`: this engine's commits do not wait for their WAL flush (the server flushes within 200 ms), as an AOF fsynced every second.
        database: process.argv[4] === 'async' ? { ...database, extra: { options: '-c synchronous_commit=off' } } : database,
        logDirectory: path.join(scratchDirectory('round-trips-'), 'logs'),
        cluster: { type: 'local', count: 4 },
      });
      await app.ready();
      await app.run(flow.name, { timeperiod: '2026112600' });
      counter.reset();
      // The run's set-up (lease, flow and step rows) ends at its first step event, its wind-down starts at its last.
      let firstStepAt = NaN;
      let lastStepAt = NaN;
      const subscription = app.events$.subscribe((event) => {
        if (event.type !== 'step') return;
        lastStepAt = performance.now();
        if (Number.isNaN(firstStepAt)) firstStepAt = lastStepAt;
      });
      const started = performance.now();
      const result = await app.run(flow.name, { timeperiod: '2026112700' });
      const ended = performance.now();
      subscription.unsubscribe();
      const ms = ended - started;
      const sent = counter.total;
      const kinds = [...counter.byKind].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n}`);
      await app.close();
      // The server publishes a backend's counters at the latest when it exits.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const after = await serverCounters(server, database.database);
      const perStep = (n: number, runs = 1) => (n / (steps * runs)).toFixed(2);
      console.log(
        `${shape} ${steps}: ${result.state}, ${Math.round(perSecond(steps, ms))} steps/s, set-up ${(firstStepAt - started).toFixed(1)} ms, ` +
          `wind-down ${(ended - lastStepAt).toFixed(1)} ms of ${ms.toFixed(0)} ms; measured run: ${sent} round trips (${perStep(sent)}/step: ${kinds.join(', ')}); ` +
          `both runs: ${after.commits - before.commits} transactions (${perStep(after.commits - before.commits, 2)}/step), ` +
          `${after.walFsyncs - before.walFsyncs} WAL fsyncs (${perStep(after.walFsyncs - before.walFsyncs, 2)}/step)`,
      );
    }
    const floor = await commitFloorMs(server, steps);
    console.log(`floor: ${steps} one-row UPDATE commits one after the other on one connection: ${floor.toFixed(3)} ms each`);
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
