import { expect } from 'chai';
import Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { createDataSource, StepEntity } from '../../src/persistence';
import { sqliteConnection } from '../../src/persistence/sqlite-connection';
import { SqliteStateWriter } from '../../src/persistence/sqlite-state.writer';
import { createStateWriter } from '../../src/persistence/state-writer.factory';
import { TypeOrmStateWriter } from '../../src/persistence/typeorm-state.writer';
import { SPEC_DATABASES, type SpecDatabase } from './fixtures/spec-databases';

/**
 * What the state writers use of TypeORM beyond its documented API, pinned on both databases: a
 * TypeORM upgrade that changes any of it fails here first, rather than turning the SQLite fast
 * path off unnoticed or a lease check into a no-op.
 */
for (const kind of SPEC_DATABASES) {
  describe(`persistence/TypeORM internals the state writers rely on, on ${kind.name}`, () => {
    const sqlite = kind.name === 'SQLite';
    let db: SpecDatabase;
    let dataSource: DataSource;

    before(async () => {
      db = await kind.create();
      dataSource = await createDataSource(db.options);
    });

    after(async () => {
      await dataSource.destroy();
      await db.cleanup();
    });

    it(`is given the ${sqlite ? 'SQLite' : 'PostgreSQL'} state writer`, () => {
      const writer = createStateWriter(dataSource, { outageMs: 1000 });
      expect(writer).to.be.instanceOf(sqlite ? SqliteStateWriter : TypeOrmStateWriter);
      if (!sqlite) expect(writer).not.to.be.instanceOf(SqliteStateWriter);
    });

    it("gives a transaction's EntityManager its query runner, whose structured result counts the rows an UPDATE changed", async () => {
      const table = dataSource
        .getMetadata(StepEntity)
        .tablePath.split('.')
        .map((part) => dataSource.driver.escape(part))
        .join('.');
      const affected = await dataSource.transaction(async (manager) => {
        expect(manager.queryRunner, 'manager.queryRunner').to.not.equal(undefined);
        // `affected` is what tells a fenced update that changed nothing to look at the lease.
        const result: unknown = await manager.queryRunner!.query(
          `UPDATE ${table} SET ${dataSource.driver.escape('attempt')} = 0 WHERE 1 = 0`,
          [],
          true,
        );
        return (result as { affected?: unknown }).affected;
      });
      expect(affected).to.equal(0);
    });

    it("numbers the compiled statements' parameters as the driver binds them", () => {
      expect(dataSource.driver.createParameter('p0', 0)).to.equal(sqlite ? '?' : '$1');
      expect(dataSource.driver.createParameter('p3', 3)).to.equal(sqlite ? '?' : '$4');
    });

    if (sqlite) {
      it('keeps its one better-sqlite3 connection in driver.databaseConnection', () => {
        const connection = (dataSource.driver as unknown as { databaseConnection?: unknown }).databaseConnection;
        expect(connection).to.be.instanceOf(Database);
        expect(sqliteConnection(dataSource)).to.equal(connection);
        const handle = connection as Database.Database;
        expect(handle.open).to.equal(true);
        expect(handle.inTransaction).to.equal(false);
      });

      it("runs its transactions on that very connection: a prepared statement there joins TypeORM's transaction", async () => {
        const handle = sqliteConnection(dataSource)!;
        const count = handle.prepare('SELECT COUNT(*) AS n FROM step');
        const before = (count.get() as { n: number }).n;
        const failure = new Error('roll back');
        const rolledBack = dataSource.transaction(async (manager) => {
          // The SQLite writer's fast path waits while TypeORM has a transaction open here.
          expect(handle.inTransaction).to.equal(true);
          await manager.query('SELECT 1');
          handle
            .prepare(
              "INSERT INTO step (flow_id, flow_name, step_name, timeperiod, state, attempt, created_at) VALUES (0, 'pinned', 'pinned', '2026120500', 'embryo', 0, '2026-12-05 00:00:00.000')",
            )
            .run();
          expect((count.get() as { n: number }).n).to.equal(before + 1);
          throw failure;
        });
        await rolledBack.then(
          () => expect.fail('the transaction should have failed'),
          (err: unknown) => expect(err).to.equal(failure),
        );
        expect(handle.inTransaction).to.equal(false);
        expect((count.get() as { n: number }).n).to.equal(before);
      });
    } else {
      it('has no better-sqlite3 connection for the fast path to use', () => {
        expect(sqliteConnection(dataSource)).to.equal(undefined);
      });
    }
  });
}
