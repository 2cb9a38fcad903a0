import { expect } from 'chai';
import Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { FlowState, StepState } from '../../src';
import { createDataSource, FlowEntity, StateStore, StepEntity } from '../../src/persistence';
import { SPEC_DATABASES, type SpecDatabase } from './fixtures/spec-databases';

const STEPS = ['a', 'b', 'c'];

/**
 * The group commit of state transitions, on both databases: what the engine relies on is that a
 * transition is durable (and visible to any other connection) when its promise resolves, that the
 * writes of one turn commit together in the order they were queued, and that a failed write
 * leaves the rows as they were.
 */
for (const kind of SPEC_DATABASES) {
  describe(`persistence/write batcher on ${kind.name}`, () => {
    let db: SpecDatabase;
    let dataSource: DataSource;
    /** A second connection: what another process would read. */
    let other: DataSource;
    let store: StateStore;
    let flow: FlowEntity;
    let steps: Map<string, StepEntity>;

    beforeEach(async () => {
      db = await kind.create();
      dataSource = await createDataSource(db.options);
      other = await createDataSource(db.options);
      store = new StateStore(dataSource);
      ({ flow, steps } = await store.prepareRun({
        flowName: 'batched',
        timeperiod: '2026112600',
        startTimeperiod: null,
        endTimeperiod: null,
        runMode: 'run',
        stepNames: STEPS,
        reset: new Set(STEPS),
        purge: true,
      }));
    });

    afterEach(async () => {
      await other.destroy();
      await dataSource.destroy();
      await db.cleanup();
    });

    const seen = (stepName: string) =>
      other.getRepository(StepEntity).findOneByOrFail({ flowName: 'batched', timeperiod: '2026112600', stepName });

    it('gives every new step row its id: the rows read back are the rows prepareRun returned', async () => {
      const rows = await other.getRepository(StepEntity).find({ where: { flowName: 'batched' }, order: { id: 'ASC' } });
      expect(rows.map((r) => [r.id, r.stepName, r.state, r.attempt, r.flowId])).to.deep.equal(
        STEPS.map((s) => [steps.get(s)!.id, s, StepState.EMBRYO, 0, flow.id]),
      );
      expect(rows[0].createdAt.getTime()).to.equal(steps.get('a')!.createdAt.getTime());
      expect(rows[0].startedAt).to.equal(null);
    });

    it('a transition is committed, and visible to another connection, when its promise resolves', async () => {
      const startedAt = new Date('2026-11-26T01:02:03.456Z');
      await store.updateStep(steps.get('a')!, { state: StepState.IN_PROGRESS, attempt: 1, startedAt, finishedAt: null, error: null });
      const row = await seen('a');
      expect([row.state, row.attempt, row.startedAt?.toISOString(), row.finishedAt, row.error]).to.deep.equal([
        StepState.IN_PROGRESS,
        1,
        startedAt.toISOString(),
        null,
        null,
      ]);

      await store.finishFlow(flow, FlowState.PROCESSED);
      const flowRow = await other.getRepository(FlowEntity).findOneByOrFail({ id: flow.id });
      expect(flowRow.state).to.equal(FlowState.PROCESSED);
      expect(flowRow.finishedAt?.getTime()).to.equal(flow.finishedAt?.getTime());
    });

    it('the transitions queued in one turn commit together, in the order they were queued', async () => {
      const at = new Date('2026-11-26T02:00:00.000Z');
      const writes = [
        store.updateStep(steps.get('a')!, { state: StepState.IN_PROGRESS, attempt: 1, startedAt: at }),
        store.updateStep(steps.get('b')!, { state: StepState.IN_PROGRESS, attempt: 1, startedAt: at }),
        store.updateStep(steps.get('a')!, { state: StepState.PROCESSED, finishedAt: at }),
        store.updateStep(steps.get('a')!, { error: undefined }), // undefined fields are left alone: nothing to write
      ];
      await Promise.all(writes);
      expect((await seen('a')).state).to.equal(StepState.PROCESSED);
      expect((await seen('a')).startedAt?.getTime()).to.equal(at.getTime());
      expect((await seen('b')).state).to.equal(StepState.IN_PROGRESS);
      expect((await seen('c')).state).to.equal(StepState.EMBRYO);
    });

    it('a conditional transition is decided when its batch commits: what the rest of the turn did counts', async () => {
      let runMayStart = true;
      const start = (name: string) => store.updateStepIf(steps.get(name)!, { state: StepState.IN_PROGRESS, attempt: 1 }, () => runMayStart);
      const a = start('a');
      const failed = store.updateStep(steps.get('c')!, { state: StepState.INVALID });
      const b = start('b');
      runMayStart = false; // later in the same turn: a failure under fail-fast, say
      expect(await Promise.all([a, failed, b])).to.deep.equal([false, true, false]);
      expect([(await seen('a')).state, (await seen('b')).state, (await seen('c')).state]).to.deep.equal([
        StepState.EMBRYO,
        StepState.EMBRYO,
        StepState.INVALID,
      ]);
      // the records in memory are left as they were too
      expect([steps.get('a')!.state, steps.get('a')!.attempt]).to.deep.equal([StepState.EMBRYO, 0]);

      runMayStart = true;
      expect(await start('a')).to.equal(true);
      expect((await seen('a')).state).to.equal(StepState.IN_PROGRESS);
      expect(steps.get('a')!.state).to.equal(StepState.IN_PROGRESS);
    });

    it('a condition that throws fails only its own write: the rest of its batch commits', async () => {
      const broken = store.updateStepIf(steps.get('a')!, { state: StepState.IN_PROGRESS }, () => {
        throw new Error('condition broke');
      });
      const other = store.updateStep(steps.get('b')!, { state: StepState.PROCESSED });
      const [a, b] = await Promise.allSettled([broken, other]);
      expect(a.status === 'rejected' && String(a.reason)).to.equal('Error: condition broke');
      expect(b).to.deep.equal({ status: 'fulfilled', value: true });
      expect([(await seen('a')).state, (await seen('b')).state]).to.deep.equal([StepState.EMBRYO, StepState.PROCESSED]);
    });

    it('a write that fails fails every write of its batch and changes nothing; the next batch commits', async () => {
      const good = store.updateStep(steps.get('b')!, { state: StepState.PROCESSED });
      // NOT NULL column: the database refuses it
      const bad = store.updateStep(steps.get('a')!, { state: null as unknown as StepState });
      const outcomes = await Promise.allSettled([good, bad]);
      expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'rejected']);
      expect(String((outcomes[1] as PromiseRejectedResult).reason)).to.match(/null|NOT NULL/i);
      expect((await seen('a')).state).to.equal(StepState.EMBRYO);
      expect((await seen('b')).state).to.equal(StepState.EMBRYO);

      await store.updateStep(steps.get('c')!, { state: StepState.NOOP });
      expect((await seen('c')).state).to.equal(StepState.NOOP);
    });
  });
}

describe('persistence/write batcher on a SQLite file shared with another connection', () => {
  let db: SpecDatabase;
  let dataSource: DataSource;
  let store: StateStore;
  let steps: Map<string, StepEntity>;
  /** Another process's view of the file, read synchronously. */
  let raw: Database.Database;

  beforeEach(async () => {
    db = await SPEC_DATABASES[0].create();
    // A short busy timeout: lock contention that outlasts it is retried, asynchronously.
    dataSource = await createDataSource({ ...db.options, timeout: 25 });
    store = new StateStore(dataSource);
    ({ steps } = await store.prepareRun({
      flowName: 'shared',
      timeperiod: '2026112600',
      startTimeperiod: null,
      endTimeperiod: null,
      runMode: 'run',
      stepNames: STEPS,
      reset: new Set(STEPS),
      purge: true,
    }));
    raw = new Database((db.options as { database: string }).database);
  });

  afterEach(async () => {
    raw.close();
    await dataSource.destroy();
    await db.cleanup();
  });

  const state = (stepName: string) => (raw.prepare('SELECT state FROM step WHERE step_name = ?').get(stepName) as { state: string }).state;
  const commits = () => Number(raw.pragma('data_version', { simple: true }));

  it('nothing is written until the turn ends, then one commit holds the whole turn', async () => {
    const before = commits();
    const writes = STEPS.map((s) => store.updateStep(steps.get(s)!, { state: StepState.IN_PROGRESS, attempt: 1 }));
    expect(STEPS.map(state)).to.deep.equal(['embryo', 'embryo', 'embryo']);
    await Promise.all(writes);
    expect(STEPS.map(state)).to.deep.equal(['in_progress', 'in_progress', 'in_progress']);
    expect(commits() - before).to.equal(1);
  });

  it('waits while another connection holds the write lock, then commits', async () => {
    raw.exec('BEGIN IMMEDIATE');
    const held = performance.now();
    setTimeout(() => raw.exec('COMMIT'), 150);
    await store.updateStep(steps.get('a')!, { state: StepState.PROCESSED });
    expect(performance.now() - held).to.be.at.least(140);
    expect(state('a')).to.equal('processed');
  });
});
