import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { createDataSource, FlowLeaseRecord } from '../../../src/persistence';
import { boundStalledTransactions } from '../../../src/persistence/stalled-transaction.bound';
import { SPEC_DATABASES, type SpecDatabase } from '../fixtures/spec-databases';

/**
 * An engine stopped (SIGSTOP, a frozen VM) between two statements of a transaction holds that
 * transaction's row locks for as long as it is stopped: the engine that takes its expired lease
 * over must not wait on them for ever. On a real PostgreSQL, a connection made with the engine's
 * bound sits idle in a transaction holding a row lock, as a stopped engine would.
 */
describe('persistence/lease: a transaction left open by a stopped engine on PostgreSQL', function () {
  this.timeout(60_000);
  const postgres = SPEC_DATABASES.find((kind) => kind.name === 'PostgreSQL')!;
  let db: SpecDatabase;
  const opened: DataSource[] = [];
  const open = async (options: SpecDatabase['options']) => {
    const dataSource = await createDataSource(options);
    opened.push(dataSource);
    return dataSource;
  };

  beforeEach(async () => (db = await postgres.create()));
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.destroy().catch(() => undefined)));
    await db.cleanup();
  });

  it('is ended by the server after the lease TTL (at least 10 s): its locks are freed, and the stopped engine finds its connection gone', async () => {
    const stopped = await open(boundStalledTransactions(db.options, 1_000));
    const other = await open(db.options);
    // The spec database's schema, as the engine's statements name it.
    const table = other
      .getMetadata(FlowLeaseRecord)
      .tablePath.split('.')
      .map((part) => `"${part}"`)
      .join('.');
    await other.query(
      `INSERT INTO ${table} (flow_name, timeperiod, holder_id, host, pid, version, acquired_at, heartbeat_at, expires_at)
       VALUES ('etl', '2026112600', 'stopped-engine', 'host-a', 1, 1, 0, 0, 0)`,
    );
    const runner = stopped.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SELECT 1 FROM ${table} WHERE flow_name = 'etl' FOR UPDATE`);
    // ...and the engine stops here: no COMMIT, no ROLLBACK.

    const began = performance.now();
    const takeover = other.query(`UPDATE ${table} SET holder_id = 'taking-over' WHERE flow_name = 'etl'`);
    const outcome = await Promise.race([
      takeover.then(() => 'taken over' as const),
      new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 30_000)),
    ]);
    const waitedMs = performance.now() - began;
    expect(outcome).to.equal('taken over');
    expect(waitedMs, 'the lock was held until the bound').to.be.greaterThan(9_000);

    const [row] = await other.query<Array<{ holder_id: string }>>(`SELECT holder_id FROM ${table} WHERE flow_name = 'etl'`);
    expect(row.holder_id).to.equal('taking-over');
    // The stopped engine wakes up: its transaction is gone with its connection.
    const woke = await runner.query('SELECT 1').then(
      () => 'answered',
      (err: Error) => err.message,
    );
    expect(woke).to.not.equal('answered');
    await runner.release().catch(() => undefined);
    // Its next work gets a fresh connection of the pool.
    expect(await stopped.query('SELECT 1 AS one')).to.deep.equal([{ one: 1 }]);
  });

  it("sets the bound only on PostgreSQL, and an application's own value wins", () => {
    const sqlite = { type: 'better-sqlite3' as const, database: 'x.db' };
    expect(boundStalledTransactions(sqlite, 30_000)).to.equal(sqlite);
    const bound = boundStalledTransactions({ ...db.options }, 30_000) as { extra?: Record<string, unknown> };
    expect(bound.extra).to.deep.include({ idle_in_transaction_session_timeout: 30_000 });
    const own = boundStalledTransactions({ ...db.options, extra: { idle_in_transaction_session_timeout: 5_000 } }, 30_000) as {
      extra?: Record<string, unknown>;
    };
    expect(own.extra).to.deep.include({ idle_in_transaction_session_timeout: 5_000 });
  });
});
