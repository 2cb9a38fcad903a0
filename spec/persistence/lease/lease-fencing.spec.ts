import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FlowRunResult } from '../../../src';
import { createDataSource, FlowEntity, StepEntity } from '../../../src/persistence';
import { EngineWorker } from '../fixtures/engine-worker';
import { SPEC_DATABASES, type SpecDatabase } from '../fixtures/spec-databases';
import { gateKey } from '../fixtures/worker-flows';

const TP = '2026112600';
const LEASE = { ttlMs: 1_000, heartbeatMs: 100 };

for (const kind of SPEC_DATABASES) {
  describe(`persistence/lease fencing on ${kind.name}: an engine paused past its lease while another took the run over`, function () {
    this.timeout(60_000);
    let db: SpecDatabase;
    const workers: EngineWorker[] = [];

    const start = (name: string, settings: { gated?: string[]; frozen?: string[] } = {}) =>
      EngineWorker.start({
        database: db.options,
        logDirectory: path.join(db.dir, `logs-${name}`),
        settings: { workDir: db.dir, ...settings },
        lease: LEASE,
      }).then((w) => {
        workers.push(w);
        return w;
      });
    /** `<pid> <step>` of every step execution, in order, across both processes. */
    const executions = () =>
      fs
        .readFileSync(path.join(db.dir, 'executions.log'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(' '))
        .map(([pid, , , step]) => `${pid} ${step}`);
    /** The run's rows as the database has them, read on a connection of the spec's own. */
    async function persisted() {
      const dataSource = await createDataSource(db.options);
      try {
        const flow = await dataSource.getRepository(FlowEntity).findOneByOrFail({ flowName: 'etl', timeperiod: TP });
        const steps = await dataSource
          .getRepository(StepEntity)
          .find({ where: { flowName: 'etl', timeperiod: TP }, order: { stepName: 'ASC' } });
        return { flow, steps };
      } finally {
        await dataSource.destroy();
      }
    }
    /** B's recover, asked until A's lease has expired (FlowLockedError until then). */
    async function recoverOnceExpired(b: EngineWorker): Promise<FlowRunResult> {
      const deadline = performance.now() + 20_000;
      for (;;) {
        const reply = await b.request({ op: 'recover', flow: 'etl', timeperiod: TP });
        if (!reply.error) return reply.result as FlowRunResult;
        if (reply.error.name !== 'FlowLockedError' || performance.now() > deadline)
          throw new Error(`recover failed: ${reply.error.name}: ${reply.error.message}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    beforeEach(async () => (db = await kind.create()));
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await db.cleanup();
    });

    it("refuses every transition A makes when it wakes up: A starts no new step, B's rows and flow state are intact, A says it lost its lease", async () => {
      const fifo = path.join(db.dir, 'transform.fifo');
      execFileSync('mkfifo', [fifo]);
      // A: extract -> (transform -> load, audit); transform waits at its gate, then freezes A.
      const [a, b] = await Promise.all([start('a', { gated: ['transform'], frozen: ['transform'] }), start('b')]);
      const aRun = a.request({ op: 'run', flow: 'etl', timeperiod: TP });
      await Promise.all([
        a.waitFor((m) => 'gated' in m && m.gated === gateKey('etl', TP, 'transform'), 'transform at its gate'),
        a.waitForEvent((e) => e.type === 'step' && e.stepName === 'audit' && e.state === 'processed', 'audit processed'),
      ]);
      void a.request({ op: 'open', gate: gateKey('etl', TP, 'transform') });
      await a.waitFor((m) => 'frozen' in m, 'A frozen mid-step');
      a.pause();

      // B takes the run over once A's lease expired, re-runs the zombie transform, runs load.
      const recovered = await recoverOnceExpired(b);
      expect(recovered).to.deep.include({
        state: 'processed',
        steps: { extract: 'processed', transform: 'processed', audit: 'processed', load: 'processed' },
      });
      const afterB = await persisted();
      expect(afterB.flow.state).to.equal('processed');

      // A wakes up and its transform ends at once; its overdue heartbeat fires in the same turn.
      a.resume();
      fs.writeFileSync(fifo, 'go');
      const reply = await aRun;
      expect(reply.error?.name, JSON.stringify(reply)).to.equal('LeaseLostError');
      // Why A lost it: its next write, or its heartbeat (on PostgreSQL the two race on two
      // connections; 1 time in 37 under load the heartbeat won), found the row gone, in the same
      // words (leaseLostReason); or, when A was stopped inside its lease
      // renewal's transaction, PostgreSQL ended that session (boundStalledTransactions) so that B
      // could take over, and A learns it from the renewal that failed.
      expect(reply.error!.message).to.match(
        /^flow 'etl' for timeperiod 2026112600: this engine lost its lease on the run \((its flow_lease row is gone: another engine took the run over and has released it since|it could not be renewed for 1000 ms: .+)\)/,
      );

      const afterA = await persisted();
      expect(afterA.flow).to.deep.equal(afterB.flow);
      expect(afterA.steps).to.deep.equal(afterB.steps);
      expect(
        executions().filter((e) => e.startsWith(`${a.pid} `)),
        'A started no step after it woke up',
      ).to.deep.equal(
        [`${a.pid} extract`, `${a.pid} transform`, `${a.pid} audit`].sort((x, y) => executions().indexOf(x) - executions().indexOf(y)),
      );
      expect(
        executions().filter((e) => e.endsWith(' load')),
        'load ran once, in B',
      ).to.deep.equal([`${b.pid} load`]);
      expect(
        a.events.filter((e) => e.type === 'step' && e.stepName === 'load'),
        'A announced no step of load',
      ).to.deep.equal([]);
      expect(fs.readFileSync(path.join(db.dir, 'logs-a', 'etl', 'etl.log'), 'utf8')).to.include('LeaseLostError');
      // A's transform did its work when it woke up, but its end was refused: its log says so, not "processed".
      const transformLog = fs.readFileSync(path.join(db.dir, 'logs-a', 'etl', 'transform.log'), 'utf8');
      expect(transformLog).not.to.match(/ processed in /);
      expect(transformLog).to.match(
        / WARN .* completed in [\d.]+ ms, but not recorded processed: LeaseLostError: flow 'etl' for timeperiod 2026112600: /,
      );
    });
  });
}
