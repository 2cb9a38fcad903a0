import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FlowRunResult } from '../../src';
import { createDataSource, FlowLeaseRecord, FlowEntity, StepEntity } from '../../src/persistence';
import { EngineWorker } from './fixtures/engine-worker';
import { SPEC_DATABASES, type SpecDatabase } from './fixtures/spec-databases';
import { ETL_STEPS, gateKey } from './fixtures/worker-flows';

const TP = '2026112600';

/** `n` consecutive daily timeperiods from `from` (days after 2026-01-01). */
function days(from: number, n: number): string[] {
  return Array.from(
    { length: n },
    (_, i) => new Date(Date.UTC(2026, 0, 1 + from + i)).toISOString().slice(0, 10).replaceAll('-', '') + '00',
  );
}

for (const kind of SPEC_DATABASES) {
  describe(`persistence: several engine processes on one ${kind.name} database`, function () {
    this.timeout(60_000);
    let db: SpecDatabase;
    const workers: EngineWorker[] = [];

    const start = (name: string, gated: string[] = []) =>
      EngineWorker.start({
        database: db.options,
        logDirectory: path.join(db.dir, `logs-${name}`),
        settings: { workDir: db.dir, gated },
      }).then((w) => {
        workers.push(w);
        return w;
      });
    /** `<pid> <step>` of every step execution, in order, across all processes. */
    const executions = (timeperiod = TP) =>
      fs
        .readFileSync(path.join(db.dir, 'executions.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
        .filter(([, , tp]) => tp === timeperiod)
        .map(([pid, , , step]) => `${pid} ${step}`);
    async function persisted() {
      const dataSource = await createDataSource(db.options);
      try {
        return {
          flows: await dataSource.getRepository(FlowEntity).find(),
          steps: await dataSource.getRepository(StepEntity).find(),
          leases: await dataSource.getRepository(FlowLeaseRecord).count(),
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

    it('two processes start the same run at once: exactly one runs it, the other gets FlowLockedError naming it', async () => {
      const pair = await Promise.all([start('a', ['extract']), start('b', ['extract'])]);
      const replies = pair.map((w) => w.request({ op: 'run', flow: 'etl', timeperiod: TP }));
      // The winner blocks in `extract` until its gate opens, so the first reply is the loser's.
      const bothRunning = Promise.all(pair.map((w) => w.waitFor((m) => 'gated' in m, 'extract'))).then(
        () => -1,
        () => -1,
      );
      const loser = await Promise.race([...replies.map((reply, i) => reply.then(() => i)), bothRunning]);
      expect(loser, 'both processes are running the same flow run').not.to.equal(-1);
      const winner = pair[1 - loser];
      expect((await replies[loser]).error).to.include({ name: 'FlowLockedError' });
      expect((await replies[loser]).error!.message).to.match(
        new RegExp(
          `^flow 'etl' for timeperiod ${TP} is already running \\(held by \\S+ pid ${winner.pid} \\(instance [0-9a-f-]{36}\\) since \\d{4}-\\d\\d-\\d\\dT`,
        ),
      );

      await winner.waitFor((m) => 'gated' in m, 'the winner in extract');
      await winner.request({ op: 'open', gate: gateKey('etl', TP, 'extract') });
      expect(((await replies[1 - loser]).result as FlowRunResult).state).to.equal('processed');

      expect(new Set(executions().map((e) => e.split(' ')[0]))).to.deep.equal(new Set([String(winner.pid)]));
      expect(
        executions()
          .map((e) => e.split(' ')[1])
          .sort(),
      ).to.deep.equal([...ETL_STEPS].sort());
      expect(
        pair[loser].events.filter((e) => e.type === 'step'),
        'the loser wrote no state',
      ).to.deep.equal([]);
      const { flows, steps, leases } = await persisted();
      expect(flows.map((f) => [f.flowName, f.timeperiod, f.state])).to.deep.equal([['etl', TP, 'processed']]);
      expect(steps.map((s) => [s.stepName, s.state, s.attempt]).sort()).to.deep.equal(ETL_STEPS.map((s) => [s, 'processed', 1]).sort());
      expect(leases).to.equal(0);
    });

    it('kill -9 of a holder mid-flow, then recover from another process at once: zombies reset and reported, no processed step lost or re-run', async () => {
      const [doomed, rescuer] = await Promise.all([start('doomed', ['load']), start('rescuer')]);
      const never = doomed.request({ op: 'run', flow: 'etl', timeperiod: TP }).catch((err: Error) => err);
      await doomed.waitFor((m) => 'gated' in m, 'load to start');
      await doomed.waitForEvent((e) => e.type === 'step' && e.stepName === 'audit' && e.state === 'processed', 'audit to be processed');
      await doomed.kill9();
      expect(await never).to.be.instanceOf(Error);

      const killedAt = performance.now();
      const reply = await rescuer.request({ op: 'recover', flow: 'etl', timeperiod: TP });
      const recoverMs = performance.now() - killedAt;
      // The dead holder's lease has 30 s to live: only the gone pid lets the rescuer in now.
      expect(reply.error).to.equal(undefined);
      expect((reply.result as FlowRunResult).state).to.equal('processed');
      console.log(`      (${kind.name}: recover in another process right after kill -9, to processed: ${recoverMs.toFixed(0)} ms)`);

      expect(executions()).to.have.members([
        `${doomed.pid} extract`,
        `${doomed.pid} transform`,
        `${doomed.pid} audit`,
        `${doomed.pid} load`,
        `${rescuer.pid} load`,
      ]);
      const zombies = rescuer.events.filter((e) => e.type === 'zombie');
      expect(zombies.map((z) => z.type === 'zombie' && [z.stepName, z.attempt])).to.deep.equal([['load', 1]]);
      expect(zombies[0].type === 'zombie' && zombies[0].previousHolder).to.match(
        new RegExp(` pid ${doomed.pid} \\(instance [0-9a-f-]{36}\\) since `),
      );
      expect(rescuer.events.filter((e) => e.type === 'step').map((e) => e.type === 'step' && `${e.stepName}:${e.state}`)).to.deep.equal([
        'load:in_progress',
        'load:processed',
      ]);
      const log = fs.readFileSync(path.join(db.dir, 'logs-rescuer', 'etl', 'etl.log'), 'utf8');
      expect(log).to.match(
        new RegExp(
          `took the run over from \\S+ pid ${doomed.pid} \\(instance [0-9a-f-]{36}\\) since .*: its process ${doomed.pid} is gone`,
        ),
      );
      expect(log).to.include('step load is a zombie');

      const { flows, steps, leases } = await persisted();
      expect(flows.map((f) => [f.state, f.runMode])).to.deep.equal([['processed', 'recover']]);
      expect(steps.map((s) => [s.stepName, s.state, s.attempt]).sort()).to.deep.equal(ETL_STEPS.map((s) => [s, 'processed', 1]).sort());
      expect(leases).to.equal(0);
    });

    it('4 processes x 25 flow runs at once, on a fresh database: all 100 processed, every step row unique and processed', async () => {
      const crowd = await Promise.all([0, 1, 2, 3].map((i) => start(`w${i}`)));
      const started = performance.now();
      const replies = await Promise.all(
        crowd.map((w, i) => w.request({ op: 'batch', flow: 'etl', timeperiods: days(i * 25, 25), concurrency: 5 })),
      );
      const elapsedMs = performance.now() - started;

      for (const reply of replies) {
        expect(reply.error).to.equal(undefined);
        expect((reply.result as FlowRunResult[]).map((r) => r.state)).to.deep.equal(Array(25).fill('processed'));
      }
      const { flows, steps, leases } = await persisted();
      expect(flows).to.have.length(100);
      expect(new Set(flows.map((f) => f.timeperiod))).to.deep.equal(new Set(days(0, 100)));
      expect(flows.every((f) => f.state === 'processed')).to.equal(true);
      expect(steps).to.have.length(400);
      expect(new Set(steps.map((s) => `${s.stepName} ${s.timeperiod}`)).size).to.equal(400);
      expect(steps.filter((s) => s.state !== 'processed' || s.attempt !== 1)).to.deep.equal([]);
      const flowIds = new Map(flows.map((f) => [f.id, f.timeperiod]));
      expect(steps.filter((s) => flowIds.get(s.flowId) !== s.timeperiod)).to.deep.equal([]);
      expect(leases).to.equal(0);
      const lines = fs.readFileSync(path.join(db.dir, 'executions.log'), 'utf8').trim().split('\n');
      expect(lines).to.have.length(400);
      expect(new Set(lines.map((l) => l.split(' ').slice(2).join(' '))).size).to.equal(400);
      console.log(`      (${kind.name}: 100 runs, 400 steps by 4 processes in ${elapsedMs.toFixed(0)} ms)`);
    });
  });
}
