import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../src/persistence';
import { boundStalledTransactions } from '../../../src/persistence/stalled-transaction.bound';
import { SPEC_DATABASES, type SpecDatabase } from '../fixtures/spec-databases';
import { lockHeldByStoppedEngine, sessionSetting } from '../fixtures/stalled-transaction';

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
    const waitedMs = await lockHeldByStoppedEngine(stopped, other);
    expect(waitedMs, 'the lock was held until the bound').to.be.greaterThan(9_000);
  });

  it('is set on each connection once it is made, only on PostgreSQL; an application’s own value wins and its own onConnect still runs', async () => {
    const sqlite = { type: 'better-sqlite3' as const, database: 'x.db' };
    expect(boundStalledTransactions(sqlite, 30_000)).to.equal(sqlite);

    const bound = await open(boundStalledTransactions(db.options, 30_000));
    expect(await sessionSetting(bound, 'idle_in_transaction_session_timeout')).to.equal('30s');

    const ownValue = await open(boundStalledTransactions({ ...db.options, extra: { idle_in_transaction_session_timeout: 5_000 } }, 30_000));
    expect(await sessionSetting(ownValue, 'idle_in_transaction_session_timeout')).to.equal('5s');

    const ownHook = { onConnect: (client: { query(sql: string): Promise<unknown> }) => client.query('SET statement_timeout = 4000') };
    const withHook = await open(boundStalledTransactions({ ...db.options, extra: ownHook }, 30_000));
    expect(await sessionSetting(withHook, 'idle_in_transaction_session_timeout')).to.equal('30s');
    expect(await sessionSetting(withHook, 'statement_timeout')).to.equal('4s');
  });
});
