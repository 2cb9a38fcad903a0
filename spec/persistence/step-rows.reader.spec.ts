import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { createDataSource, DatabaseFlowLock, type DatabaseFlowLease, StateStore, StepEntity, StepState } from '../../src/persistence';
import { leasedRun } from './fixtures/run-request';
import { SPEC_DATABASES, type SpecDatabase } from './fixtures/spec-databases';

const TP = '2026112600';
const STEPS = ['extract', 'transform', 'load', 'report'];

/**
 * The store reads step rows with one plain SELECT and the driver's hydration of each value
 * (step-rows.reader.ts), not TypeORM's find(): what it returns must be, field for field, what
 * find() gives - dates as Date instants to the millisecond, numbers as numbers, nulls as null.
 */
for (const kind of SPEC_DATABASES) {
  describe(`persistence/step rows read without TypeORM's entity transformer, on ${kind.name}`, function () {
    this.timeout(60_000);
    let db: SpecDatabase;
    let dataSource: DataSource;
    let store: StateStore;

    beforeEach(async () => {
      db = await kind.create();
      dataSource = await createDataSource(db.options);
      store = new StateStore(dataSource);
    });
    afterEach(async () => {
      await dataSource?.destroy();
      await db.cleanup();
    });

    /** TypeORM's own reading of the run's rows: what every field is expected to be. */
    const typeormRead = () =>
      dataSource.getRepository(StepEntity).find({ where: { flowName: 'etl', timeperiod: TP }, order: { id: 'ASC' } });

    /** A run whose rows hold every kind of value: finished, failed with a long non-ASCII error, running, untouched. */
    const variedRun = async () => {
      const run = await leasedRun(store, 'etl', TP, STEPS);
      const repo = dataSource.getRepository(StepEntity);
      const byName = new Map(run.steps.map((s) => [s.stepName, s.id]));
      await repo.update(byName.get('extract')!, {
        state: StepState.PROCESSED,
        attempt: 1,
        startedAt: new Date('2026-11-26T01:02:03.004Z'),
        finishedAt: new Date('2026-11-26T01:02:04.999Z'),
        runId: run.runId,
        cluster: 'local-1',
      });
      await repo.update(byName.get('transform')!, {
        state: StepState.INVALID,
        attempt: 3,
        startedAt: new Date('2026-11-26T23:59:59.999Z'),
        finishedAt: new Date('2026-11-27T00:00:00.000Z'),
        error: `Error: données "manquantes" ${'x'.repeat(5000)} 日本`,
        runId: run.runId,
        cluster: 'emr-2',
      });
      await repo.update(byName.get('load')!, {
        state: StepState.IN_PROGRESS,
        attempt: 2,
        startedAt: new Date('2000-01-01T00:00:00.001Z'),
        runId: run.runId,
      });
      return run;
    };

    it('findSteps gives every row of the run, in creation order, each field as TypeORM reads it', async () => {
      const run = await variedRun();
      const expected = await typeormRead();
      const steps = await store.findSteps('etl', TP);

      expect(steps).to.deep.equal(expected);
      expect(steps.map((s) => s.stepName)).to.deep.equal(STEPS);
      const [extract, transform, load, report] = steps;
      expect(extract).to.be.instanceOf(StepEntity);
      expect(extract.startedAt).to.be.instanceOf(Date);
      expect(extract.startedAt!.toISOString()).to.equal('2026-11-26T01:02:03.004Z');
      expect(transform.finishedAt!.toISOString()).to.equal('2026-11-27T00:00:00.000Z');
      expect(transform.error).to.match(/^Error: données "manquantes" x{5000} 日本$/);
      expect(transform.attempt).to.equal(3);
      expect(load.finishedAt).to.equal(null);
      expect(report).to.include({ state: StepState.EMBRYO, attempt: 0, startedAt: null, error: null, runId: null, cluster: null });
      expect(report.id).to.be.a('number');
      expect(report.flowId).to.equal(run.flow.id);
      expect(await store.findSteps('etl', '2026112700'), 'another timeperiod').to.deep.equal([]);
      await run.lease.release();
    });

    it("a recover's set-up reads the existing rows the same way: kept as they were, the reset ones cleared", async () => {
      const run = await variedRun();
      await run.lease.release();
      const before = await typeormRead();
      const lease = await leasedRun(store, 'other', TP, ['x']); // a second flow's rows must not be read
      await lease.lease.release();

      const recoverLease = (await new DatabaseFlowLock(store, { ttlMs: 60_000, heartbeatMs: 20_000 }).acquire(
        'etl',
        TP,
      )) as DatabaseFlowLease;
      const prepared = await store.fencedBy(recoverLease.fence).prepareRun({
        flowName: 'etl',
        timeperiod: TP,
        startTimeperiod: null,
        endTimeperiod: null,
        runMode: 'recover',
        stepNames: [...STEPS, 'added'],
        reset: new Set(['transform']),
        purge: false,
      });
      await recoverLease.release();

      const after = await typeormRead();
      expect([...prepared.steps.keys()].sort()).to.deep.equal([...STEPS, 'added'].sort());
      for (const row of after) expect(prepared.steps.get(row.stepName), row.stepName).to.deep.equal(row);
      expect(prepared.steps.get('extract'), 'kept as it was').to.deep.equal(before[0]);
      expect(prepared.steps.get('transform')).to.include({ state: StepState.EMBRYO, attempt: 0, startedAt: null, error: null });
    });
  });
}
