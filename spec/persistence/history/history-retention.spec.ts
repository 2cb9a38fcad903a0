import { expect } from 'chai';
import type { DataSource, EntityManager } from 'typeorm';
import { bootstrap } from '../../../src';
import { createDataSource, StateStore } from '../../../src/persistence';
import { FlowRunEntity } from '../../../src/persistence/flow-run.entity';
import { HistoryRetention } from '../../../src/persistence/history/history-retention';
import { StepAttemptEntity } from '../../../src/persistence/step-attempt.entity';
import { SPEC_DATABASES, type SpecDatabase } from '../fixtures/spec-databases';
import { flaky, HistoryFlow } from '../fixtures/history-flow';

const DAY = 24 * 60 * 60 * 1000;

/**
 * The sweep of old history runs beside the runs, whose commits queue with its transactions on
 * SQLite: however many attempts a run had, each of its transactions deletes a bounded number of
 * rows, and a run's row goes only once its attempts are gone.
 */
for (const kind of SPEC_DATABASES) {
  describe(`persistence/history: the retention sweep on ${kind.name}`, function () {
    this.timeout(60_000);
    let db: SpecDatabase;
    let dataSource: DataSource | undefined;

    beforeEach(async () => {
      db = await kind.create();
      // Each run has one attempt row per step: extract, flaky (at its first try), skipped (a noop row), load.
      flaky.failures = 0;
    });
    afterEach(async () => {
      await dataSource?.destroy();
      dataSource = undefined;
      await db.cleanup();
    });

    it('deletes an expired run a few attempt rows per transaction, its flow_run row last; recent runs stay whole', async () => {
      const app = await bootstrap({ flows: [HistoryFlow], database: db.options, logDirectory: db.dir });
      const expired: string[] = [];
      for (const timeperiod of ['2026110100', '2026110200', '2026110300'])
        expired.push((await app.run('history_flow', { timeperiod })).runId);
      const recent = (await app.run('history_flow', { timeperiod: '2026110400' })).runId;
      await app.close();

      dataSource = await createDataSource(db.options);
      const runs = dataSource.getRepository(FlowRunEntity);
      for (const runId of expired)
        await runs.update({ runId }, { startedAt: new Date(Date.now() - 40 * DAY), finishedAt: new Date(Date.now() - 40 * DAY) });
      const store = new StateStore(dataSource);
      // After each of the sweep's transactions: the attempt rows and run rows left.
      const seen: Array<{ attempts: number; runs: string[]; orphans: number }> = [];
      const count = async () => {
        const attempts = dataSource!.getRepository(StepAttemptEntity);
        const left = (await runs.find({ select: { runId: true } })).map((r) => r.runId).sort();
        const all = await attempts.find({ select: { runId: true } });
        return { attempts: all.length, runs: left, orphans: all.filter((a) => !left.includes(a.runId)).length };
      };
      const transaction = store.transaction.bind(store);
      store.transaction = async <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> => {
        const result = await transaction(work);
        seen.push(await count());
        return result;
      };
      const before = await count();
      expect(before.attempts).to.equal(16);

      const perTransaction = 3;
      const deleted = await new HistoryRetention(dataSource, store, 30, 60_000, perTransaction).sweep();

      expect(deleted).to.equal(3);
      const after = seen.at(-1)!;
      expect(after.runs).to.deep.equal([recent]);
      expect(after.attempts, "the recent run's 4 attempts").to.equal(4);
      let attemptsBefore = before.attempts;
      for (const [i, state] of seen.entries()) {
        expect(attemptsBefore - state.attempts, `transaction ${i}: attempt rows deleted`).to.be.at.most(perTransaction);
        expect(state.orphans, `transaction ${i}: attempt rows of no run`).to.equal(0);
        attemptsBefore = state.attempts;
      }
      // 12 expired rows 3 at a time, the fifth finding none left; one read of the runs before, one delete of them after.
      expect(seen.length, 'transactions').to.be.at.least(1 + 12 / perTransaction + 1);
    });
  });
}
