import { expect } from 'chai';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { LeaseLostError } from '../../src';
import {
  createDataSource,
  DatabaseFlowLease,
  DatabaseFlowLock,
  FlowLeaseRecord,
  FlowEntity,
  FlowState,
  StateStore,
  StepEntity,
  StepState,
} from '../../src/persistence';
import { databaseText } from '../../src/persistence/database-text';
import { FlowRunEntity } from '../../src/persistence/flow-run.entity';
import { createStateWriter } from '../../src/persistence/state-writer.factory';
import { StepAttemptEntity } from '../../src/persistence/step-attempt.entity';
import type { StateWriter } from '../../src/domain/state-writer.port';
import type { EntityManager } from 'typeorm';
import { freshRunRequest, leasedRun } from './fixtures/run-request';
import { SPEC_DATABASES, type SpecDatabase } from './fixtures/spec-databases';

const [TP1, TP2] = ['2026112600', '2026112700'];
const STEPS = Array.from({ length: 40 }, (_, i) => `s${i}`);
const AT = new Date('2026-11-26T01:02:03.456Z');

/** Counts what every pg client of this process sends: each `query()` is one round trip to the server. */
function countRoundTrips(): { count(): number; texts: string[]; stop(): void } {
  const original: typeof Client.prototype.query = Reflect.get(Client.prototype, 'query');
  const texts: string[] = [];
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    texts.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text ?? '(pipeline)'));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof Client.prototype.query;
  return { count: () => texts.length, texts, stop: () => (Client.prototype.query = original) };
}

/**
 * How a group commit reaches PostgreSQL (PostgresStateWriter): in one round trip, as one
 * transaction, whatever it carries; a run whose lease is gone writes none of its rows while the
 * other runs of the same commit write all of theirs; a statement that fails rolls the whole commit
 * back; values travel as parameters. On a real embedded PostgreSQL, counting in its driver.
 */
describe('persistence: a group commit on PostgreSQL', function () {
  this.timeout(60_000);
  const postgres = SPEC_DATABASES.find((kind) => kind.name === 'PostgreSQL')!;
  let db: SpecDatabase;
  let dataSource: DataSource;
  /** Another connection: what another engine would read. */
  let other: DataSource;
  let store: StateStore;
  let writer: StateWriter<EntityManager>;
  const leases: DatabaseFlowLease[] = [];

  /** A run of its own lease, with its 40 step rows. */
  const run = async (timeperiod: string) => {
    const r = await leasedRun(store, 'etl', timeperiod, STEPS);
    leases.push(r.lease);
    return r;
  };
  /** A step's in_progress and its attempt row, as the engine queues them: two writes of two tables. */
  const start = (r: Awaited<ReturnType<typeof run>>, step: StepEntity, attemptId = r.firstAttemptId + r.steps.indexOf(step)) => {
    const fence = r.lease.fence;
    return [
      writer.update({ entity: StepEntity, id: step.id, patch: { state: StepState.IN_PROGRESS, attempt: 1, startedAt: AT }, fence }),
      writer.insert({
        entity: StepAttemptEntity,
        row: {
          id: attemptId,
          runId: r.runId,
          flowName: 'etl',
          timeperiod: step.timeperiod,
          stepName: step.stepName,
          attempt: 1,
          state: StepState.IN_PROGRESS,
          cluster: 'local-1',
          startedAt: AT,
          finishedAt: null,
          error: null,
        },
        fence,
      }),
    ];
  };
  const states = async (timeperiod: string) =>
    (await other.getRepository(StepEntity).find({ where: { flowName: 'etl', timeperiod }, order: { id: 'ASC' } })).map((s) => s.state);
  const attempts = (timeperiod: string) => other.getRepository(StepAttemptEntity).countBy({ flowName: 'etl', timeperiod });
  const takeOver = (timeperiod: string) =>
    other
      .getRepository(FlowLeaseRecord)
      .update({ flowName: 'etl', timeperiod }, { holderId: 'a1b2c3d4-0000-4000-8000-000000000009', host: 'engine-b.elsewhere', pid: 4242 });

  beforeEach(async () => {
    db = await postgres.create();
    dataSource = await createDataSource(db.options);
    other = await createDataSource(db.options);
    writer = createStateWriter(dataSource, { outageMs: 5_000 });
    store = new StateStore(dataSource, writer);
  });
  afterEach(async () => {
    await Promise.all(leases.splice(0).map((l) => l.release()));
    await other.destroy();
    await dataSource.destroy();
    await db.cleanup();
  });

  it('sends a group commit in one round trip, however many rows of however many tables it carries', async () => {
    const [one, two] = [await run(TP1), await run(TP2)];
    const counter = countRoundTrips();
    let sent: number;
    try {
      // 2 runs x 40 steps: 80 step transitions and 80 attempt rows, two leases, one turn.
      const writes = [...one.steps.flatMap((s) => start(one, s)), ...two.steps.flatMap((s) => start(two, s))];
      const written = await Promise.all(writes);
      sent = counter.count();
      expect(written.every(Boolean)).to.equal(true);
    } finally {
      counter.stop();
    }
    expect(sent).to.equal(1);
    for (const tp of [TP1, TP2]) {
      expect(await states(tp)).to.deep.equal(STEPS.map(() => StepState.IN_PROGRESS));
      expect(await attempts(tp)).to.equal(STEPS.length);
    }
    // Every value reads back as TypeORM wrote it (the rows of one statement go as arrays of values).
    const steps = await other.getRepository(StepEntity).findBy({ flowName: 'etl' });
    expect(new Set(steps.map((s) => `${s.attempt} ${s.startedAt?.toISOString()}`))).to.deep.equal(new Set([`1 ${AT.toISOString()}`]));
    const rows = await other.getRepository(StepAttemptEntity).findBy({ flowName: 'etl' });
    expect(new Set(rows.map((r) => `${r.cluster} ${r.startedAt.toISOString()} ${String(r.finishedAt)} ${String(r.error)}`))).to.deep.equal(
      new Set([`local-1 ${AT.toISOString()} null null`]),
    );
  });

  it("ends two runs in the same round trip: each table's rows as one statement, every value read back as written", async () => {
    const [one, two] = [await run(TP1), await run(TP2)];
    const counter = countRoundTrips();
    let sent: number;
    try {
      const ended = await Promise.all([
        store.fencedBy(one.lease.fence).finishFlow(one.flow, FlowState.PROCESSED, { runId: one.runId }),
        store.fencedBy(two.lease.fence).finishFlow(two.flow, FlowState.NOOP, { runId: two.runId }),
      ]);
      sent = counter.count();
      expect(ended).to.deep.equal([true, true]);
    } finally {
      counter.stop();
    }
    expect(sent).to.equal(1);
    const flows = await other.getRepository(FlowEntity).find({ where: { flowName: 'etl' }, order: { timeperiod: 'ASC' } });
    expect(flows.map((f) => [f.state, f.finishedAt?.toISOString()])).to.deep.equal([
      [FlowState.PROCESSED, one.flow.finishedAt!.toISOString()],
      [FlowState.NOOP, two.flow.finishedAt!.toISOString()],
    ]);
    const runs = await other.getRepository(FlowRunEntity).find({ where: { flowName: 'etl' }, order: { timeperiod: 'ASC' } });
    expect(runs.map((r) => [r.runId, r.state, r.finishedAt?.toISOString(), r.error])).to.deep.equal([
      [one.runId, FlowState.PROCESSED, one.flow.finishedAt!.toISOString(), null],
      [two.runId, FlowState.NOOP, two.flow.finishedAt!.toISOString(), null],
    ]);
  });

  it('sets a run of 1,200 steps up with one INSERT of every step row, each row given its id', async () => {
    const lease = (await new DatabaseFlowLock(store, { ttlMs: 60_000, heartbeatMs: 20_000 }).acquire('big', TP1)) as DatabaseFlowLease;
    leases.push(lease);
    const names = Array.from({ length: 1_200 }, (_, i) => `step_${i}`);
    const counter = countRoundTrips();
    let steps: Map<string, StepEntity>;
    try {
      ({ steps } = await store.fencedBy(lease.fence).prepareRun(freshRunRequest('big', TP1, names)));
    } finally {
      counter.stop();
    }
    expect(counter.texts.filter((sql) => /^INSERT INTO\s+\S*"step"/.test(sql))).to.have.length(1);
    const rows = await other.getRepository(StepEntity).find({ where: { flowName: 'big' }, order: { id: 'ASC' } });
    expect(rows.map((r) => [r.id, r.stepName, r.state, r.attempt])).to.deep.equal(
      names.map((name) => [steps.get(name)!.id, name, StepState.EMBRYO, 0]),
    );
  });

  for (const lost of [TP1, TP2]) {
    it(`writes none of the rows of a run whose lease is gone (${lost === TP1 ? 'the first' : 'the second'} of the commit), and all of the other run's`, async () => {
      const [one, two] = [await run(TP1), await run(TP2)];
      await takeOver(lost);
      // Interleaved, as runs sharing one writer queue them: the lost run's rows sit before and after the kept run's.
      const writes = one.steps.flatMap((s, i) => [...start(one, s), ...start(two, two.steps[i])]);
      const outcomes = await Promise.allSettled(writes);
      const lostIndex = lost === TP1 ? 0 : 1;
      outcomes.forEach((outcome, i) => {
        const ofLost = Math.floor(i / 2) % 2 === lostIndex;
        if (ofLost) expect(outcome.status === 'rejected' && outcome.reason).to.be.instanceOf(LeaseLostError);
        else expect(outcome).to.deep.equal({ status: 'fulfilled', value: true });
      });
      const kept = lost === TP1 ? TP2 : TP1;
      expect(await states(lost)).to.deep.equal(STEPS.map(() => StepState.EMBRYO));
      expect(await attempts(lost)).to.equal(0);
      expect(await states(kept)).to.deep.equal(STEPS.map(() => StepState.IN_PROGRESS));
      expect(await attempts(kept)).to.equal(STEPS.length);
    });
  }

  it('rolls the whole commit back when one of its statements fails, and commits the next on a fresh connection', async () => {
    const one = await run(TP1);
    // The last attempt row repeats the id of the first: its INSERT fails, after every other write of the commit ran.
    const writes = [...one.steps.flatMap((s) => start(one, s)), ...start(one, one.steps[1], one.firstAttemptId)];
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.map((o) => o.status)).to.deep.equal(writes.map(() => 'rejected'));
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).to.match(/duplicate key/);
    expect(await states(TP1)).to.deep.equal(STEPS.map(() => StepState.EMBRYO));
    expect(await attempts(TP1)).to.equal(0);

    expect(await Promise.all(one.steps.flatMap((s) => start(one, s)))).to.deep.equal(STEPS.flatMap(() => [true, true]));
    expect(await states(TP1)).to.deep.equal(STEPS.map(() => StepState.IN_PROGRESS));
  });

  it('binds values as parameters: quotes, SQL and a NUL byte in a step error are stored as text', async () => {
    const one = await run(TP1);
    const error = "boom'); DELETE FROM step; --\u0000 $1 \\' end";
    const fenced = store.fencedBy(one.lease.fence);
    expect(await fenced.updateStep(one.steps[0], { state: StepState.INVALID, finishedAt: AT, error })).to.equal(true);
    const row = await other.getRepository(StepEntity).findOneByOrFail({ id: one.steps[0].id });
    expect(row.error).to.equal(databaseText(error));
    expect(row.error).to.include("boom'); DELETE FROM step; --\u2400 $1 \\' end");
    expect(await other.getRepository(StepEntity).countBy({ flowName: 'etl', timeperiod: TP1 })).to.equal(STEPS.length);
  });
});
