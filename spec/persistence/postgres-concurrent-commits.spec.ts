import { expect } from 'chai';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { LeaseLostError } from '../../src';
import { createDataSource, DatabaseFlowLease, FlowLeaseRecord, StateStore, StepEntity, StepState } from '../../src/persistence';
import type { StateWriter } from '../../src/domain/state-writer.port';
import { createStateWriter } from '../../src/persistence/state-writer.factory';
import { leasedRun } from './fixtures/run-request';
import { SPEC_DATABASES, type SpecDatabase } from './fixtures/spec-databases';

const TIMEPERIODS = ['2026112600', '2026112700', '2026112800', '2026112900', '2026113000'];
const [TP1, TP2, TP3] = TIMEPERIODS;
const STEPS = Array.from({ length: 8 }, (_, i) => `s${i}`);

/** A promise, and whether it has settled yet (and how). */
function watch<T>(promise: Promise<T>): { promise: Promise<T>; state: () => 'pending' | 'fulfilled' | 'rejected' } {
  let state: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  promise.then(
    () => (state = 'fulfilled'),
    () => (state = 'rejected'),
  );
  return { promise, state: () => state };
}

/** The next turn of the event loop: the writes queued before it are one group commit, those after another. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Group commits in flight at once on PostgreSQL (PostgresStateWriter): a commit of other rows does
 * not wait for one still in flight; a commit that writes a row of one in flight waits for it; a
 * write given as code, `exclusive` work and `drain` wait for every commit in flight; at most
 * min(4, pool size - 1) are in flight. A commit is held in flight by a row lock another connection
 * takes: it waits on the server, where pg_stat_activity shows it.
 */
describe('persistence: group commits in flight at once on PostgreSQL', function () {
  this.timeout(60_000);
  const postgres = SPEC_DATABASES.find((kind) => kind.name === 'PostgreSQL')!;
  let db: SpecDatabase;
  let dataSource: DataSource;
  /** Another connection: what another engine would read, and the row locks that hold a commit in flight. */
  let other: DataSource;
  let store: StateStore;
  let writer: StateWriter<EntityManager>;
  const leases: DatabaseFlowLease[] = [];
  const holders: QueryRunner[] = [];

  const open = async (poolSize?: number) => {
    dataSource = await createDataSource(poolSize ? { ...db.options, poolSize } : db.options);
    writer = createStateWriter(dataSource, { outageMs: 5_000 });
    store = new StateStore(dataSource, writer);
  };
  /** A run of its own lease, with its step rows. */
  const run = async (timeperiod: string) => {
    const r = await leasedRun(store, 'etl', timeperiod, STEPS);
    leases.push(r.lease);
    return r;
  };
  type Run = Awaited<ReturnType<typeof run>>;
  const set = (r: Run, step: StepEntity, state: StepState, attempt = 1) =>
    writer.update({ entity: StepEntity, id: step.id, patch: { state, attempt }, fence: r.lease.fence });
  const row = (step: StepEntity) => other.getRepository(StepEntity).findOneByOrFail({ id: step.id });
  /** Locks the step's row from another connection, until `release`: a commit that writes it waits on the server. */
  const lock = async (step: StepEntity) => {
    const holder = other.createQueryRunner();
    holders.push(holder);
    await holder.connect();
    await holder.startTransaction();
    await holder.manager
      .getRepository(StepEntity)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.id = :id', { id: step.id })
      .getOne();
    return { release: () => holder.rollbackTransaction() };
  };
  /** The writer's connections waiting on a lock right now. */
  const waitingOnLocks = async () =>
    Number(
      (
        await other.query<{ n: string }[]>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
      )[0].n,
    );
  /** Until `n` of the writer's commits wait on a lock. */
  const untilWaiting = async (n: number) => {
    const deadline = Date.now() + 10_000;
    while ((await waitingOnLocks()) < n) {
      if (Date.now() > deadline) throw new Error(`fewer than ${n} commits waited on a lock within 10 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  /** Resolves as `promise` does, or rejects if it has not within `ms` (the commit is held up). */
  const within = <T>(promise: Promise<T>, ms = 5_000, what = 'the commit') =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms).unref()),
    ]);
  const takeOver = (timeperiod: string) =>
    other
      .getRepository(FlowLeaseRecord)
      .update({ flowName: 'etl', timeperiod }, { holderId: 'a1b2c3d4-0000-4000-8000-000000000009', host: 'engine-b.elsewhere', pid: 4242 });

  beforeEach(async () => {
    db = await postgres.create();
    other = await createDataSource(db.options);
  });
  afterEach(async () => {
    for (const holder of holders.splice(0)) {
      if (holder.isTransactionActive) await holder.rollbackTransaction().catch(() => undefined);
      await holder.release();
    }
    await writer?.drain();
    await Promise.all(leases.splice(0).map((l) => l.release()));
    await dataSource?.destroy();
    await other.destroy();
    await db.cleanup();
  });

  it("commits a group commit of another run's rows while an earlier one is still in flight, on a connection of its own", async () => {
    await open();
    const [one, two] = [await run(TP1), await run(TP2)];
    const held = await lock(one.steps[0]);
    const first = watch(set(one, one.steps[0], StepState.IN_PROGRESS));
    await untilWaiting(1);
    // The next turn's commit, of another run's rows, does not wait for the first.
    expect(await within(set(two, two.steps[0], StepState.IN_PROGRESS))).to.equal(true);
    expect((await row(two.steps[0])).state).to.equal(StepState.IN_PROGRESS);
    expect(first.state()).to.equal('pending');
    expect((await row(one.steps[0])).state).to.equal(StepState.EMBRYO);
    await held.release();
    expect(await within(first.promise)).to.equal(true);
    expect((await row(one.steps[0])).state).to.equal(StepState.IN_PROGRESS);
  });

  it('holds a commit of the same run, or of a row, of one in flight until that one is done: the row ends with the later value', async () => {
    await open();
    const [one, two, three] = [await run(TP1), await run(TP2), await run(TP3)];
    const [x, y] = one.steps;
    const held = await lock(x);
    const ended: string[] = [];
    const note = <T>(name: string, promise: Promise<T>) => watch(promise.then((v) => (ended.push(name), v)));
    const first = note('first', set(one, x, StepState.IN_PROGRESS, 1));
    await untilWaiting(1);
    // The same run, another row: the engine queues a dependent's start before its dependency's end is durable.
    const sameRun = note('same run', set(one, y, StepState.IN_PROGRESS));
    await nextTurn();
    // Another run, the same row (a run of the same flow and timeperiod writes the same step rows).
    const sameRow = note('same row', set(two, x, StepState.PROCESSED, 2));
    await nextTurn();
    // Another run, another row: held up by none of them.
    expect(await within(set(three, three.steps[0], StepState.PROCESSED))).to.equal(true);
    // They wait on the client: no second connection waits on the server.
    expect(await waitingOnLocks()).to.equal(1);
    expect([first, sameRun, sameRow].map((p) => p.state())).to.deep.equal(['pending', 'pending', 'pending']);
    expect((await row(y)).state).to.equal(StepState.EMBRYO);
    await held.release();
    expect(await within(Promise.all([first.promise, sameRun.promise, sameRow.promise]))).to.deep.equal([true, true, true]);
    expect(ended.indexOf('first')).to.be.below(ended.indexOf('same run'));
    expect(ended.indexOf('first')).to.be.below(ended.indexOf('same row'));
    expect([(await row(x)).state, (await row(x)).attempt]).to.deep.equal([StepState.PROCESSED, 2]);
    expect((await row(y)).state).to.equal(StepState.IN_PROGRESS);
  });

  it("refuses a lost run's writes in one commit in flight, and commits the other commit in flight", async () => {
    await open();
    const [one, two, three] = [await run(TP1), await run(TP2), await run(TP3)];
    const held = await lock(two.steps[0]);
    const kept = watch(set(two, two.steps[0], StepState.IN_PROGRESS));
    await untilWaiting(1);
    await takeOver(TP1);
    // The next turn's commit: the lost run's rows, and a row of a run still held.
    const lost = Promise.allSettled(one.steps.map((s) => set(one, s, StepState.IN_PROGRESS)));
    const beside = set(three, three.steps[0], StepState.IN_PROGRESS);
    const outcomes = await within(lost);
    expect(outcomes.map((o) => o.status === 'rejected' && o.reason instanceof LeaseLostError)).to.deep.equal(one.steps.map(() => true));
    expect(await within(beside)).to.equal(true);
    expect(kept.state()).to.equal('pending');
    await held.release();
    expect(await within(kept.promise)).to.equal(true);
    expect((await Promise.all(one.steps.map(row))).map((s) => s.state)).to.deep.equal(STEPS.map(() => StepState.EMBRYO));
    expect((await row(two.steps[0])).state).to.equal(StepState.IN_PROGRESS);
    expect((await row(three.steps[0])).state).to.equal(StepState.IN_PROGRESS);
  });

  it('drain() waits for every commit in flight', async () => {
    await open();
    const [one, two] = [await run(TP1), await run(TP2)];
    const held = await lock(one.steps[0]);
    void set(one, one.steps[0], StepState.IN_PROGRESS);
    await untilWaiting(1);
    await within(set(two, two.steps[1], StepState.IN_PROGRESS));
    const drained = watch(writer.drain());
    await new Promise((r) => setTimeout(r, 200));
    expect(drained.state()).to.equal('pending');
    await held.release();
    await within(drained.promise);
    expect((await row(one.steps[0])).state).to.equal(StepState.IN_PROGRESS);
  });

  it('runs a write given as code, and exclusive work, after every commit in flight, and the commits after them after them', async () => {
    await open();
    const one = await run(TP1);
    const [x, y, z, w] = one.steps;
    const held = await lock(x);
    const ended: string[] = [];
    const note = <T>(name: string, promise: Promise<T>) => watch(promise.then((v) => (ended.push(name), v)));
    const first = note('first', set(one, x, StepState.IN_PROGRESS));
    await untilWaiting(1);
    const code = note(
      'code',
      writer.enqueue((manager) => manager.update(StepEntity, { id: y.id }, { state: StepState.NOOP })),
    );
    await nextTurn();
    const after = note('after code', set(one, z, StepState.PROCESSED));
    const work = note(
      'exclusive',
      writer.exclusive((manager) => manager.update(StepEntity, { id: w.id }, { state: StepState.NOOP })),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect([first, code, after, work].map((p) => p.state())).to.deep.equal(['pending', 'pending', 'pending', 'pending']);
    expect(await waitingOnLocks()).to.equal(1);
    await held.release();
    await within(Promise.all([first.promise, code.promise, after.promise, work.promise]));
    expect(ended).to.deep.equal(['first', 'code', 'after code', 'exclusive']);
    expect((await Promise.all([x, y, z, w].map(row))).map((s) => s.state)).to.deep.equal([
      StepState.IN_PROGRESS,
      StepState.NOOP,
      StepState.PROCESSED,
      StepState.NOOP,
    ]);
  });

  for (const [poolSize, bound] of [
    [undefined, 4],
    [3, 2],
  ] as const) {
    it(`has at most ${bound} commits in flight with a pool of ${poolSize ?? 'the default'} (${poolSize ?? 10}) connections`, async () => {
      await open(poolSize);
      const runs = [];
      for (const tp of TIMEPERIODS.slice(0, bound + 1)) runs.push(await run(tp));
      const held = await Promise.all(runs.map((r) => lock(r.steps[0])));
      // One turn each: bound + 1 commits of runs of their own, each of a held row, then one of a free row.
      const pending = [];
      for (const r of runs) {
        pending.push(watch(set(r, r.steps[0], StepState.IN_PROGRESS)));
        await nextTurn();
      }
      const last = runs[runs.length - 1];
      const free = watch(set(last, last.steps[1], StepState.IN_PROGRESS));
      await untilWaiting(bound);
      await new Promise((r) => setTimeout(r, 300));
      // The bound is reached: the others wait for a slot (or for their run), on the client.
      expect(await waitingOnLocks()).to.equal(bound);
      expect(free.state()).to.equal('pending');
      // One done: the next takes its slot.
      await held[0].release();
      await within(pending[0].promise);
      await untilWaiting(bound);
      for (const h of held.slice(1)) await h.release();
      expect(await within(Promise.all(pending.map((p) => p.promise)))).to.deep.equal(pending.map(() => true));
      expect(await within(free.promise)).to.equal(true);
    });
  }
});
