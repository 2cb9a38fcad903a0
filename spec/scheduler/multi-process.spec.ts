import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDataSource, FlowEntity, StepEntity } from '../../src/persistence';
import { ScheduleClaimRecord } from '../../src/persistence/schedule/schedule-claim.entity';
import { ScheduleMarkRecord } from '../../src/persistence/schedule/schedule-mark.entity';
import { SPEC_DATABASES, type SpecDatabase } from '../persistence/fixtures/spec-databases';
import { SchedulerWorker } from './fixtures/scheduler-worker';

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
    const start = (name: string, blockLoad?: string) =>
      SchedulerWorker.start({
        database: db.options,
        logDirectory: path.join(db.dir, `logs-${name}`),
        settings: { runsFile: runsFile(), blockLoad },
      }).then((w) => {
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
  });
}
