import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDataSource, FlowEntity, FlowLeaseRecord, StepEntity } from '../../src/persistence';
import { ScheduleClaimRecord } from '../../src/persistence/schedule/schedule-claim.entity';
import { ScheduleMarkRecord } from '../../src/persistence/schedule/schedule-mark.entity';
import { SPEC_DATABASES, type SpecDatabase } from '../persistence/fixtures/spec-databases';
import { SchedulerWorker } from './fixtures/scheduler-worker';
import { requirePrivilege } from '../support/system-tool';

async function until(condition: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 60_000; !condition();) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A short lease: a scheduler that hangs or dies is taken over in seconds once it expired. */
const SHORT_LEASE = { ttlMs: 2_000, heartbeatMs: 500 };

/** Whether this machine lets a spec start a process in a PID namespace of its own (Linux, as root). */
function pidNamespacesAvailable(): boolean {
  return spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { stdio: 'ignore' }).status === 0;
}

const START = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const hourly = (i: number) => new Date(START + i * HOUR).toISOString().slice(0, 13).replace(/[-T]/g, '');

interface RunLine {
  flow: string;
  timeperiod: string;
  step: string;
  what: string;
  pid: number;
}

for (const kind of SPEC_DATABASES) {
  describe(`scheduler: several scheduler processes on one ${kind.name} database`, function () {
    this.timeout(600_000);
    let db: SpecDatabase;
    const workers: SchedulerWorker[] = [];
    const runsFile = () => path.join(db.dir, 'runs.log');
    const start = (
      name: string,
      blockLoad?: string,
      { lease = undefined as { ttlMs: number; heartbeatMs: number } | undefined, ownPidNamespace = false } = {},
    ) =>
      SchedulerWorker.start(
        { database: db.options, logDirectory: path.join(db.dir, `logs-${name}`), settings: { runsFile: runsFile(), blockLoad }, lease },
        { ownPidNamespace },
      ).then((w) => {
        workers.push(w);
        return w;
      });
    const lines = (): RunLine[] =>
      fs.existsSync(runsFile())
        ? fs
            .readFileSync(runsFile(), 'utf8')
            .trim()
            .split('\n')
            .map((l) => {
              const [flow, timeperiod, step, what, pid] = l.split(' ');
              return { flow, timeperiod, step, what, pid: Number(pid) };
            })
        : [];
    async function persisted() {
      const dataSource = await createDataSource(db.options);
      try {
        return {
          flows: await dataSource.getRepository(FlowEntity).find({ order: { flowName: 'ASC', timeperiod: 'ASC' } }),
          steps: await dataSource.getRepository(StepEntity).find(),
          claims: await dataSource.getRepository(ScheduleClaimRecord).find(),
          marks: await dataSource.getRepository(ScheduleMarkRecord).find({ order: { flowName: 'ASC' } }),
        };
      } finally {
        await dataSource.destroy();
      }
    }

    beforeEach(async () => (db = await kind.create()));
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await db.cleanup();
    });

    it('three schedulers ticking in lockstep over 200 hourly periods run every [flow, timeperiod] exactly once, in order', async () => {
      // One after the other: three processes migrating a new SQLite file at once only wait for each other.
      const trio = [await start('a'), await start('b'), await start('c')];
      const periods = 200;
      for (let i = 1; i <= periods + 1; i++) {
        const now = new Date(START + Math.min(i, periods) * HOUR);
        await Promise.all(trio.map((w) => w.tick(now)));
      }

      const runs = lines();
      const hours = Array.from({ length: periods }, (_, i) => hourly(i));
      const days = Array.from({ length: 8 }, (_, d) => hourly(24 * d));
      const starts = (flow: string, step: string) => runs.filter((r) => r.flow === flow && r.step === step && r.what === 'start');
      // Exactly once: each step of each period started once, and the periods in order, each after the last one ended.
      expect(starts('hourly', 'extract').map((r) => r.timeperiod)).to.deep.equal(hours);
      expect(starts('hourly', 'load').map((r) => r.timeperiod)).to.deep.equal(hours);
      expect(starts('daily', 'extract').map((r) => r.timeperiod)).to.deep.equal(days);
      const hourlyLines = runs.filter((r) => r.flow === 'hourly');
      for (let i = 1; i < periods; i++) {
        const previousEnd = hourlyLines.findIndex((r) => r.timeperiod === hours[i - 1] && r.step === 'load' && r.what === 'end');
        const nextStart = hourlyLines.findIndex((r) => r.timeperiod === hours[i] && r.step === 'extract' && r.what === 'start');
        expect(nextStart, `${hours[i]} started before ${hours[i - 1]} ended`).to.be.greaterThan(previousEnd);
      }
      // Each daily period after the 24 hours of its day.
      for (const day of days) {
        const rollup = runs.findIndex((r) => r.flow === 'daily' && r.timeperiod === day && r.step === 'extract');
        const lastHour = runs.findIndex(
          (r) => r.flow === 'hourly' && r.timeperiod === `${day.slice(0, 8)}23` && r.step === 'load' && r.what === 'end',
        );
        expect(rollup).to.be.greaterThan(lastHour);
      }
      // The work was shared: more than one process ran periods.
      expect(new Set(runs.map((r) => r.pid)).size).to.be.greaterThan(1);

      const { flows, steps, claims, marks } = await persisted();
      // The three advanced each flow's mark at once, tick after tick: it names the first period without a row, no further.
      expect(marks.map((k) => [k.flowName, k.startPeriod, k.granularity, k.nextPeriod])).to.deep.equal([
        ['daily', '2026010100', 'daily', '2026010900'],
        ['hourly', '2026010100', 'hourly', hourly(periods)],
      ]);
      // A scheduler process started now counts from the marks, and finds nothing to start.
      const fourth = await start('d');
      const late = await fourth.tick(new Date(START + periods * HOUR));
      expect([late.triggered, late.waiting, late.skipped]).to.deep.equal([[], [], []]);
      expect(flows.filter((f) => f.flowName === 'hourly').map((f) => f.timeperiod)).to.deep.equal(hours);
      expect(flows.filter((f) => f.flowName === 'daily').map((f) => f.timeperiod)).to.deep.equal(days);
      expect(flows.every((f) => f.state === 'processed' && f.runMode === 'run')).to.equal(true);
      expect(steps.every((s) => s.state === 'processed' && s.attempt === 1)).to.equal(true);
      expect(claims).to.have.length(periods + days.length);
      expect(claims.every((c) => c.attempt === 1 && c.kind === 'run' && c.outcome === 'processed')).to.equal(true);
    });

    it('kill -9 of a scheduler in the middle of a run: another scheduler takes it over and recovers it, nothing processed runs again', async () => {
      const doomed = await start('doomed', hourly(0));
      const survivor = await start('survivor');
      void doomed.tick(new Date(START + HOUR)).catch(() => undefined);
      const blocked = () => lines().some((r) => r.step === 'load' && r.what === 'blocked');
      for (const deadline = Date.now() + 60_000; !blocked();) {
        if (Date.now() > deadline) throw new Error('the doomed scheduler never reached load');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // While it lives, the other scheduler leaves its run alone.
      const meanwhile = await survivor.tick(new Date(START + HOUR));
      expect(meanwhile.triggered).to.deep.equal([]);
      await doomed.kill();

      const takeover = await survivor.tick(new Date(START + HOUR));
      expect(takeover.triggered).to.have.length(1);
      expect(takeover.triggered[0]).to.include({ flow: 'hourly', timeperiod: hourly(0), reason: 'takeover', mode: 'recover', attempt: 2 });
      expect(takeover.triggered[0].message).to.equal(`takes over attempt 1: its scheduler's process ${doomed.pid} is gone`);
      expect(takeover.triggered[0].result?.state).to.equal('processed');
      expect((await survivor.tick(new Date(START + HOUR))).triggered).to.deep.equal([]);

      const runs = lines().filter((r) => r.timeperiod === hourly(0) && r.flow === 'hourly');
      expect(runs.map((r) => `${r.step} ${r.what} ${r.pid === doomed.pid ? 'doomed' : 'survivor'}`)).to.deep.equal([
        'extract start doomed',
        'extract end doomed',
        'load start doomed',
        'load blocked doomed',
        'load start survivor',
        'load end survivor',
      ]);
      const next = await survivor.tick(new Date(START + 2 * HOUR));
      expect(next.triggered.map((t) => [t.timeperiod, t.reason, t.result?.state])).to.deep.equal([[hourly(1), 'due', 'processed']]);
      const { claims } = await persisted();
      expect(claims.map((c) => [c.timeperiod, c.attempt, c.kind, c.outcome]).sort()).to.deep.equal(
        [
          [hourly(0), 1, 'run', 'abandoned'],
          [hourly(0), 2, 'takeover', 'processed'],
          [hourly(1), 1, 'run', 'processed'],
        ].sort(),
      );
    });

    it("a scheduler that hangs (SIGSTOP) in the middle of a run is taken over once its run's lease expired, not before", async () => {
      const hung = await start('hung', hourly(0), { lease: SHORT_LEASE });
      const survivor = await start('survivor', undefined, { lease: SHORT_LEASE });
      void hung.tick(new Date(START + HOUR)).catch(() => undefined);
      await until(() => lines().some((r) => r.step === 'load' && r.what === 'blocked'), 'the hung scheduler reaching load');
      // Stopped right after a heartbeat committed, never inside a transaction: a SQLite writer stopped there locks everyone out.
      const watcher = await createDataSource(db.options);
      try {
        const leaseVersion = async () => (await watcher.getRepository(FlowLeaseRecord).findOneBy({ timeperiod: hourly(0) }))?.version ?? 0;
        const renewed = (await leaseVersion()) + 1;
        while ((await leaseVersion()) < renewed) await new Promise((resolve) => setTimeout(resolve, 10));
      } finally {
        await watcher.destroy();
      }
      hung.pause();
      const pausedAt = Date.now();
      // Its pid is still there: alive by its process, dead by its silence.
      expect((await survivor.tick(new Date(START + HOUR))).triggered).to.deep.equal([]);

      let takeover = await survivor.tick(new Date(START + HOUR));
      while (!takeover.triggered.length && Date.now() - pausedAt < 30_000) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        takeover = await survivor.tick(new Date(START + HOUR));
      }
      expect(Date.now() - pausedAt, 'taken over after the lease expired').to.be.at.least(SHORT_LEASE.ttlMs - SHORT_LEASE.heartbeatMs);
      expect(takeover.triggered).to.have.length(1);
      expect(takeover.triggered[0]).to.include({ timeperiod: hourly(0), reason: 'takeover', mode: 'recover', attempt: 2 });
      expect(takeover.triggered[0].message).to.match(
        new RegExp(`^takes over attempt 1: the lease of its run on \\S+ pid ${hung.pid} expired$`),
      );
      expect(takeover.triggered[0].result?.state).to.equal('processed');
      await hung.kill();
      const runs = lines().filter((r) => r.flow === 'hourly' && r.timeperiod === hourly(0) && r.step === 'load');
      expect(runs.map((r) => `${r.what} ${r.pid === hung.pid ? 'hung' : 'survivor'}`)).to.deep.equal([
        'start hung',
        'blocked hung',
        'start survivor',
        'end survivor',
      ]);
    });

    it("a takeover claimed by another live scheduler is not taken over again while the dead run's expired lease is still there", async () => {
      const doomed = await start('doomed', hourly(0), { lease: SHORT_LEASE });
      const survivor = await start('survivor', undefined, { lease: SHORT_LEASE });
      void doomed.tick(new Date(START + HOUR)).catch(() => undefined);
      await until(() => lines().some((r) => r.step === 'load' && r.what === 'blocked'), 'the doomed scheduler reaching load');
      await doomed.kill();
      // What a scheduler on another machine writes when it takes the dead run over, in the instant
      // before its recover takes over the dead run's lease: its claim of attempt 2, attempt 1 abandoned.
      const rival = { holderId: randomUUID(), host: 'etl-host-2', pid: 4242, instanceId: randomUUID(), pidNamespace: null };
      const dataSource = await createDataSource(db.options);
      try {
        const claims = dataSource.getRepository(ScheduleClaimRecord);
        const leaseExpired = async () =>
          (await dataSource.getRepository(FlowLeaseRecord).findOneBy({ timeperiod: hourly(0) }))!.expiresAt < Date.now();
        while (!(await leaseExpired())) await new Promise((resolve) => setTimeout(resolve, 50));
        await claims.update({ timeperiod: hourly(0), attempt: 1 }, { finishedAt: Date.now(), outcome: 'abandoned' });
        await claims.insert({
          flowName: 'hourly',
          timeperiod: hourly(0),
          attempt: 2,
          kind: 'takeover',
          ...rival,
          claimedAt: Date.now(),
          finishedAt: null,
          outcome: null,
        });

        // The expired lease is the dead run's, not the rival's: the rival is alive and about to take it.
        const meanwhile = await survivor.tick(new Date(START + HOUR));
        expect(meanwhile.triggered.map((t) => `${t.timeperiod} attempt ${t.attempt}: ${t.message}`)).to.deep.equal([]);
        expect((await claims.findOneBy({ timeperiod: hourly(0), attempt: 2 }))!.outcome).to.equal(null);

        // A rival that never takes the lease is judged by its claim's age, as a claim with no lease at all (a minute later: the dead run's lease older still).
        await dataSource.getRepository(FlowLeaseRecord).update({ timeperiod: hourly(0) }, { acquiredAt: Date.now() - 62_000 });
        await claims.update({ timeperiod: hourly(0), attempt: 2 }, { claimedAt: Date.now() - 61_000 });
      } finally {
        await dataSource.destroy();
      }
      const takeover = await survivor.tick(new Date(START + HOUR));
      expect(takeover.triggered.map((t) => [t.timeperiod, t.attempt, t.message, t.result?.state])).to.deep.equal([
        [hourly(0), 3, 'takes over attempt 2: its scheduler on etl-host-2 pid 4242 took no lease within 60000 ms', 'processed'],
      ]);
    });

    it("two schedulers in PID namespaces of their own (both pid 1 of one hostname: containers with host networking) never take over each other's live run", async function () {
      requirePrivilege(
        this,
        pidNamespacesAvailable(),
        '`unshare --pid --fork` (spec/persistence/lease/database-flow-lock.spec.ts covers the same judgement in-process)',
      );
      const blocked = await start('blocked', hourly(0), { lease: SHORT_LEASE, ownPidNamespace: true });
      const other = await start('other', undefined, { lease: SHORT_LEASE, ownPidNamespace: true });
      void blocked.tick(new Date(START + HOUR)).catch(() => undefined);
      await until(() => lines().some((r) => r.step === 'load' && r.what === 'blocked'), 'the first scheduler reaching load');
      // Long past the lease's ttl: the run is alive, renewing its lease, and stays the first scheduler's.
      for (const deadline = Date.now() + 3 * SHORT_LEASE.ttlMs; Date.now() < deadline;) {
        const report = await other.tick(new Date(START + HOUR));
        expect(report.triggered, 'took over a live run').to.deep.equal([]);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(lines().map((r) => `${r.flow} ${r.timeperiod} ${r.step} ${r.what} ${r.pid}`)).to.deep.equal([
        `hourly ${hourly(0)} extract start 1`,
        `hourly ${hourly(0)} extract end 1`,
        `hourly ${hourly(0)} load start 1`,
        `hourly ${hourly(0)} load blocked 1`,
      ]);

      // Killed, its namespace's pid 1 means nothing here: the other takes the run over once its lease expired.
      await blocked.kill();
      let takeover = await other.tick(new Date(START + HOUR));
      for (const deadline = Date.now() + 30_000; !takeover.triggered.length && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        takeover = await other.tick(new Date(START + HOUR));
      }
      expect(takeover.triggered[0]).to.include({ timeperiod: hourly(0), reason: 'takeover', mode: 'recover', attempt: 2 });
      expect(takeover.triggered[0].message).to.match(/^takes over attempt 1: the lease of its run on \S+ pid 1 expired$/);
      expect(takeover.triggered[0].result?.state).to.equal('processed');
      const { flows, claims } = await persisted();
      expect(flows.map((f) => [f.flowName, f.timeperiod, f.state])).to.deep.equal([['hourly', hourly(0), 'processed']]);
      expect(claims.map((c) => [c.attempt, c.kind, c.pid, c.outcome]).sort()).to.deep.equal([
        [1, 'run', 1, 'abandoned'],
        [2, 'takeover', 1, 'processed'],
      ]);
    });
  });
}
