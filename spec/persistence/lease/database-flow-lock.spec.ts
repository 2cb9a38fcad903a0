import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import {
  bootstrap,
  ConfigurationError,
  Flow,
  FlowLockedError,
  LeaseLostError,
  Main,
  Step,
  type FlowLease,
  type StepContext,
} from '../../../src';
import { createDataSource, DatabaseFlowLease, DatabaseFlowLock, FlowLeaseRecord, FlowEntity, StateStore } from '../../../src/persistence';
import { thisProcess } from '../../../src/persistence/lease/process-identity';
import { SPEC_DATABASES, type SpecDatabase } from '../fixtures/spec-databases';

const TP = '2026112600';
/** The instance id of a holder that is not this process. */
const OTHER_INSTANCE = '0a1b2c3d-0000-4000-8000-00000000beef';
const HOUR = 3_600_000;

/** One engine's view of the database: its own connection, state store and lock. */
interface Engine {
  dataSource: DataSource;
  store: StateStore;
  lock: DatabaseFlowLock;
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

const leaseRow = (engine: Engine, timeperiod = TP) =>
  engine.store.transaction((m) => m.getRepository(FlowLeaseRecord).findOneBy({ flowName: 'etl', timeperiod }));
const writeLeaseRow = (engine: Engine, row: Partial<FlowLeaseRecord>) =>
  engine.store.transaction((m) =>
    m.getRepository(FlowLeaseRecord).save({
      flowName: 'etl',
      timeperiod: TP,
      holderId: 'f0e1d2c3-dead-beef-0000-000000000000',
      version: 7,
      acquiredAt: Date.UTC(2026, 10, 29, 8),
      heartbeatAt: Date.now(),
      ...row,
    }),
  );

for (const kind of SPEC_DATABASES) {
  describe(`persistence/DatabaseFlowLock on ${kind.name}`, () => {
    let db: SpecDatabase;
    const engines: Engine[] = [];
    /**
     * Engine #n. On PostgreSQL each engine has its own connection pool, as separate processes would;
     * on SQLite they share the one connection (a second connection in the same thread would wait for
     * the first synchronously): the multi-process spec covers separate SQLite processes.
     */
    const engine = async (lease = { ttlMs: 2_000, heartbeatMs: 50 }): Promise<Engine> => {
      const shared = kind.name === 'SQLite' && engines[0];
      const dataSource = shared ? shared.dataSource : await createDataSource(db.options);
      const store = shared ? shared.store : new StateStore(dataSource);
      const created = { dataSource, store, lock: new DatabaseFlowLock(store, lease) };
      engines.push(created);
      return created;
    };
    const held: FlowLease[] = [];
    const acquire = async (e: Engine, timeperiod = TP) => {
      const lease = await e.lock.acquire('etl', timeperiod);
      held.push(lease);
      return lease;
    };

    beforeEach(async () => (db = await kind.create()));
    afterEach(async () => {
      await Promise.all(held.splice(0).map((l) => l.release()));
      for (const ds of new Set(engines.splice(0).map((e) => e.dataSource))) if (ds.isInitialized) await ds.destroy();
      await db.cleanup();
    });

    it('gives a second engine asking for a running flow run FlowLockedError naming the holder (host, pid, instance, since); release frees it', async () => {
      const [a, b] = [await engine(), await engine()];
      const lease = await acquire(a);
      const row = (await leaseRow(a))!;
      const holder = `${os.hostname()} pid ${process.pid} (instance ${thisProcess.instanceId}) since ${new Date(row.acquiredAt).toISOString()}`;
      expect(Math.abs(row.acquiredAt - Date.now()), 'since: the database clock, in epoch ms').to.be.below(5_000);

      const err = await b.lock.acquire('etl', TP).then(
        () => expect.fail('two engines hold the same run'),
        (e: Error) => e,
      );
      expect(err)
        .to.be.instanceOf(FlowLockedError)
        .and.include({ holder, holderInstanceId: thisProcess.instanceId, flowName: 'etl', timeperiod: TP });
      expect(err.message).to.include(`held by ${holder}`);
      await acquire(b, '2026112700');

      await lease.release();
      expect(await leaseRow(a)).to.equal(null);
      await acquire(b);
      expect(await leaseRow(b)).to.include({
        host: os.hostname(),
        pid: process.pid,
        holderId: (held.at(-1) as DatabaseFlowLease).holderId,
      });
    });

    it("renews the lease by the database's clock while the holder runs", async () => {
      const a = await engine({ ttlMs: 1_000, heartbeatMs: 20 });
      await acquire(a);
      const first = (await leaseRow(a))!;
      await until(async () => (await leaseRow(a))!.version >= first.version + 2, 'two heartbeats');
      const renewed = (await leaseRow(a))!;
      expect(renewed.heartbeatAt).to.be.above(first.heartbeatAt);
      expect(renewed.expiresAt - renewed.heartbeatAt).to.equal(1_000);
      expect(renewed.acquiredAt).to.equal(first.acquiredAt);
    });

    it('takes over a holder on another host only once its lease expired', async () => {
      const a = await engine();
      await writeLeaseRow(a, { host: 'engine-b.elsewhere', pid: 4242, expiresAt: Date.now() + HOUR });
      const err = await a.lock.acquire('etl', TP).then(
        () => expect.fail('took over a live lease'),
        (e: Error) => e,
      );
      expect(err).to.be.instanceOf(FlowLockedError);
      expect(err.message).to.include('held by engine-b.elsewhere pid 4242 since 2026-11-29T08:00:00.000Z');

      await writeLeaseRow(a, { host: 'engine-b.elsewhere', pid: 4242, expiresAt: Date.now() - 1 });
      const lease = await acquire(a);
      expect(lease.takenOver?.holder).to.equal('engine-b.elsewhere pid 4242 since 2026-11-29T08:00:00.000Z');
      expect(lease.takenOver?.reason).to.match(/^its lease expired at .* without a heartbeat$/);
      expect(await leaseRow(a)).to.include({ host: os.hostname(), pid: process.pid, version: 8 });
    });

    it('takes over a holder of this PID namespace whose process is gone at once, long before its lease expires', async () => {
      const a = await engine();
      const here = { host: os.hostname(), pidNamespace: thisProcess.pidNamespace };
      const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      try {
        await writeLeaseRow(a, { ...here, pid: alive.pid!, instanceId: OTHER_INSTANCE, expiresAt: Date.now() + HOUR });
        const err = await a.lock.acquire('etl', TP).then(
          () => expect.fail('took over a live process'),
          (e: Error) => e,
        );
        expect(err).to.be.instanceOf(FlowLockedError);
      } finally {
        alive.kill('SIGKILL');
      }
      const dead = await deadPid();
      await writeLeaseRow(a, { ...here, pid: dead, instanceId: OTHER_INSTANCE, expiresAt: Date.now() + HOUR });
      const lease = await acquire(a);
      expect(lease.takenOver?.reason).to.equal(`its process ${dead} is gone`);
    });

    it('takes over at once a lease this very process left behind (an app closed in the middle of its run)', async () => {
      const a = await engine();
      await writeLeaseRow(a, { ...thisProcess, expiresAt: Date.now() + HOUR });
      const lease = await acquire(a);
      expect(lease.takenOver?.reason).to.equal('its application in this process closed in the middle of the run');
    });

    // Two containers with one hostname in their own PID namespaces are both pid 1: neither may judge the other by its pid.
    for (const [holder, other] of [
      ['another process with this hostname and pid (another PID namespace)', { pid: process.pid, pidNamespace: 'another-boot/4026532174' }],
      ['a process of another PID namespace whose pid is free here', { pid: 0, pidNamespace: 'another-boot/4026532174' }],
      [
        "a row of a version before instance ids, with this process's host and pid",
        { pid: process.pid, instanceId: null, pidNamespace: null },
      ],
    ] as const) {
      it(`takes over ${holder} only once its lease expired`, async () => {
        const a = await engine();
        const pid = other.pid || (await deadPid());
        const row = { instanceId: OTHER_INSTANCE, ...other, host: os.hostname(), pid };
        await writeLeaseRow(a, { ...row, expiresAt: Date.now() + HOUR });
        const err = await a.lock.acquire('etl', TP).then(
          () => expect.fail('took over a live lease'),
          (e: Error) => e,
        );
        // Host and pid may be another container's too: the instance id tells which process holds it.
        expect(err).to.be.instanceOf(FlowLockedError).and.include({ holderInstanceId: row.instanceId });
        const instance = row.instanceId ? ` (instance ${row.instanceId})` : '';
        expect(err.message).to.include(`held by ${os.hostname()} pid ${pid}${instance} since`);

        await writeLeaseRow(a, { ...row, expiresAt: Date.now() - 1 });
        const lease = await acquire(a);
        expect(lease.takenOver?.reason).to.match(/^its lease expired at .* without a heartbeat$/);
        expect(await leaseRow(a)).to.include({ instanceId: thisProcess.instanceId, pidNamespace: thisProcess.pidNamespace });
      });
    }

    it("lets exactly one of several engines racing for a dead holder's run win", async () => {
      // A long lease: on loaded cores a winner whose heartbeat stalled past a 2 s lease could be taken over,
      // rightly, by a racer that came late, and two would then have won in turn.
      const lease = { ttlMs: 60_000, heartbeatMs: 1_000 };
      const racers = [await engine(lease), await engine(lease), await engine(lease), await engine(lease)];
      await writeLeaseRow(racers[0], { host: 'engine-b.elsewhere', pid: 4242, expiresAt: Date.now() - 1 });
      const outcomes = await Promise.allSettled(racers.map((r) => acquire(r)));
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      expect(won).to.have.length(1);
      for (const lost of outcomes.filter((o) => o.status === 'rejected')) expect(lost.reason).to.be.instanceOf(FlowLockedError);
      expect((await leaseRow(racers[0]))!.holderId).to.equal((won[0] as PromiseFulfilledResult<DatabaseFlowLease>).value.holderId);
    });

    it('tells a holder whose lease was taken over at its next heartbeat, and its release leaves the new holder alone', async () => {
      const a = await engine({ ttlMs: 2_000, heartbeatMs: 20 });
      const lease = await acquire(a);
      await writeLeaseRow(a, {
        holderId: 'a1b2c3d4-0000-4000-8000-000000000001',
        host: 'engine-b.elsewhere',
        pid: 4242,
        expiresAt: Date.now() + HOUR,
      });
      await once(lease.lost!, 'abort');
      expect(lease.lost!.reason).to.be.instanceOf(LeaseLostError);
      expect(lease.lost!.reason.message).to.include('another engine took it over: engine-b.elsewhere pid 4242');
      await lease.release();
      expect(await leaseRow(a)).to.include({ host: 'engine-b.elsewhere', holderId: 'a1b2c3d4-0000-4000-8000-000000000001' });
    });

    it('gives up a lease it could not renew for ttlMs (the database is gone): the run must stop', async () => {
      const a = await engine({ ttlMs: 200, heartbeatMs: 20 });
      const lease = await acquire(a);
      await a.dataSource.destroy();
      await once(lease.lost!, 'abort');
      expect(lease.lost!.reason.message).to.match(/lost its lease on the run \(it could not be renewed for 200 ms: /);
    });

    it('leaves no lease behind after a bad request', async () => {
      const a = await engine();
      const app = await bootstrap({ flows: [WaitingFlow], database: db.options, logDirectory: db.dir, lock: a.lock, handleSignals: false });
      try {
        const err = await app.recover('etl', { timeperiod: TP }).then(
          () => expect.fail('recovered a run that never ran'),
          (e: Error) => e,
        );
        expect(err.name).to.equal('FlowRunNotFoundError');
        expect(await leaseRow(a)).to.equal(null);
        expect(await a.dataSource.getRepository(FlowEntity).count()).to.equal(0);
      } finally {
        await app.close();
      }
    });

    it('stops a run whose lease was taken over and writes nothing more: the run rejects with LeaseLostError, the rows stay as the new holder has them', async () => {
      const a = await engine({ ttlMs: 2_000, heartbeatMs: 20 });
      const app = await bootstrap({ flows: [WaitingFlow], database: db.options, logDirectory: db.dir, lock: a.lock, handleSignals: false });
      try {
        const started = new Promise<void>((resolve) =>
          app.events$.subscribe((e) => e.type === 'step' && e.state === 'in_progress' && resolve()),
        );
        const events: string[] = [];
        app.events$.subscribe(
          (e) =>
            (e.type === 'flow' || e.type === 'step') && events.push(`${e.type} ${e.type === 'step' ? e.stepName : e.flowName} ${e.state}`),
        );
        const running = app.run('etl', { timeperiod: TP });
        await started;
        await writeLeaseRow(a, {
          holderId: 'a1b2c3d4-0000-4000-8000-000000000002',
          host: 'engine-b.elsewhere',
          pid: 4242,
          expiresAt: Date.now() + HOUR,
        });
        const err = await running.then(
          () => expect.fail('the run ended as if it still held the run'),
          (e: Error) => e,
        );
        expect(err).to.be.instanceOf(LeaseLostError);
        expect(err.message).to.match(/lost its lease on the run \(another engine took it over: engine-b\.elsewhere pid 4242/);
        // Its step's cancel and the flow's end were refused: the new holder owns the rows now.
        const { flow, steps } = await app.status('etl', TP);
        expect(flow.state).to.equal('in_progress');
        expect(steps[0]).to.include({ state: 'in_progress', error: null });
        expect(await leaseRow(a)).to.include({ host: 'engine-b.elsewhere' });
        // events$ announces persisted changes only: no final state that was refused, and the flow log says why.
        expect(events).to.deep.equal(['flow etl in_progress', 'step wait in_progress']);
        const flowLog = fs.readFileSync(path.join(db.dir, 'etl', 'etl.log'), 'utf8');
        expect(flowLog).to.match(/run of timeperiod 2026112600 stopped: .*lost its lease on the run.*; this engine wrote nothing more/);
        expect(flowLog).not.to.match(/ended invalid/);
      } finally {
        await app.close();
      }
    });
  });
}

@Step({ name: 'wait' })
class WaitForAbort {
  @Main() run(ctx: StepContext) {
    return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }));
  }
}

@Flow({ name: 'etl', steps: [WaitForAbort] })
class WaitingFlow {}

describe('persistence/DatabaseFlowLock: options', () => {
  it('rejects a bad lease option at bootstrap, before it opens the database', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-lease-'));
    const database = { type: 'better-sqlite3' as const, database: path.join(dir, 'state.db') };
    try {
      for (const [lease, message] of [
        [{ ttlMs: 50 }, /lease\.ttlMs: must be a whole number of milliseconds from 100 to 2147483647 .*, got 50/],
        [{ ttlMs: 1_000, heartbeatMs: 1_000 }, /lease\.heartbeatMs: must be below ttlMs \(1000\), got 1000/],
        // setInterval fires after 1 ms past 2^31 - 1: this lease was renewed every millisecond.
        [{ ttlMs: 1e10 }, /lease\.ttlMs: must be a whole number of milliseconds from 100 to 2147483647 .*, got 10000000000/],
      ] as const) {
        const err = await bootstrap({ flows: [WaitingFlow], database, logDirectory: dir, lease }).then(
          () => expect.fail('accepted'),
          (e: Error) => e,
        );
        expect(err).to.be.instanceOf(ConfigurationError);
        expect(err.message).to.match(message);
      }
      expect(fs.existsSync(database.database)).to.equal(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
