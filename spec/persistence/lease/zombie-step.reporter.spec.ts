import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bootstrap, FlowState, StepState, type BootstrapOptions, type FlowEvent } from '../../../src';
import { createDataSource, FlowLeaseRecord, FlowEntity, StepEntity } from '../../../src/persistence';
import { EtlFlow, ETL_STEPS } from '../fixtures/worker-flows';
import { thisProcess } from '../../../src/persistence/lease/process-identity';
import { SPEC_DATABASES, type SpecDatabase } from '../fixtures/spec-databases';

const TP = '2026112600';

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

for (const kind of SPEC_DATABASES) {
  describe(`persistence/zombie steps on ${kind.name}: recover after an engine died mid-flow`, () => {
    let db: SpecDatabase;
    let options: BootstrapOptions;
    const executions = () =>
      fs
        .readFileSync(path.join(db.dir, 'executions.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[3]);

    beforeEach(async () => {
      db = await kind.create();
      options = {
        flows: [EtlFlow],
        database: db.options,
        logDirectory: path.join(db.dir, 'logs'),
        settings: { workDir: db.dir },
        handleSignals: false,
      };
    });
    afterEach(async () => db.cleanup());

    /**
     * Leaves the database as an engine that died while `load` ran would: extract, transform and
     * audit processed, load in_progress, the flow in_progress, and (unless `lease` is false) the
     * dead engine's lease row. The earlier steps really ran, once each.
     */
    async function deadEngineLeftover(lease: { pid: number } | false): Promise<void> {
      const app = await bootstrap(options);
      await app.runOne('etl', 'extract', { timeperiod: TP });
      await app.runOne('etl', 'transform', { timeperiod: TP });
      await app.runOne('etl', 'audit', { timeperiod: TP });
      await app.close();
      const dataSource = await createDataSource(db.options);
      try {
        await dataSource
          .getRepository(StepEntity)
          .update(
            { flowName: 'etl', timeperiod: TP, stepName: 'load' },
            { state: StepState.IN_PROGRESS, attempt: 1, startedAt: new Date('2026-11-29T08:00:01Z') },
          );
        await dataSource.getRepository(FlowEntity).update({ flowName: 'etl', timeperiod: TP }, { state: FlowState.IN_PROGRESS });
        if (lease) {
          const at = Date.UTC(2026, 10, 29, 8);
          await dataSource.getRepository(FlowLeaseRecord).insert({
            flowName: 'etl',
            timeperiod: TP,
            holderId: 'f0e1d2c3-dead-beef-0000-000000000000',
            host: os.hostname(),
            pid: lease.pid,
            // A dead engine of this PID namespace: its pid is checked, and found gone.
            pidNamespace: thisProcess.pidNamespace,
            version: 3,
            acquiredAt: at,
            heartbeatAt: at,
            expiresAt: Date.now() + 3_600_000,
          });
        }
      } finally {
        await dataSource.destroy();
      }
    }

    it('takes the run over at once, resets the zombie, reports it in the flow log and the events, and re-runs nothing processed', async () => {
      const pid = await deadPid();
      await deadEngineLeftover({ pid });
      const holder = `${os.hostname()} pid ${pid} since 2026-11-29T08:00:00.000Z`;

      const app = await bootstrap(options);
      const events: FlowEvent[] = [];
      app.events$.subscribe((e) => events.push(e));
      try {
        const result = await app.recover('etl', { timeperiod: TP });
        expect(result).to.deep.include({ state: 'processed', steps: Object.fromEntries(ETL_STEPS.map((s) => [s, 'processed'])) });
        const { steps } = await app.status('etl', TP);
        expect(steps.map((s) => [s.stepName, s.state, s.attempt])).to.deep.equal(ETL_STEPS.map((s) => [s, 'processed', 1]));
      } finally {
        await app.close();
      }

      expect(executions(), 'extract, transform and audit ran once, before the crash').to.deep.equal([
        'extract',
        'transform',
        'audit',
        'load',
      ]);
      const zombies = events.filter((e) => e.type === 'zombie');
      expect(zombies).to.have.length(1);
      expect(zombies[0]).to.deep.include({ flowName: 'etl', timeperiod: TP, stepName: 'load', attempt: 1, previousHolder: holder });
      const order = events.filter((e) => e.type !== 'action').map((e) => (e.type === 'step' ? `${e.stepName}:${e.state}` : e.type));
      expect(order).to.deep.equal(['flow', 'zombie', 'load:in_progress', 'load:processed', 'flow']);

      const log = fs.readFileSync(path.join(db.dir, 'logs', 'etl', 'etl.log'), 'utf8');
      expect(log).to.include(`took the run over from ${holder}: its process ${pid} is gone`);
      expect(log).to.include(
        `step load is a zombie: left in_progress (attempt 1, started 2026-11-29T08:00:01.000Z) by ${holder}; reset to embryo, it runs again`,
      );
    });

    it('reports a zombie that an engine left without a lease row, too (its run is not locked by anyone)', async () => {
      await deadEngineLeftover(false);
      const app = await bootstrap(options);
      const events: FlowEvent[] = [];
      app.events$.subscribe((e) => events.push(e));
      try {
        expect((await app.recover('etl', { timeperiod: TP })).state).to.equal('processed');
      } finally {
        await app.close();
      }
      const zombie = events.find((e) => e.type === 'zombie')!;
      expect(zombie).to.include({ stepName: 'load', attempt: 1 });
      expect(zombie).not.to.have.property('previousHolder');
      expect(fs.readFileSync(path.join(db.dir, 'logs', 'etl', 'etl.log'), 'utf8')).to.include('by an engine that stopped; reset to embryo');
      expect(executions()).to.deep.equal(['extract', 'transform', 'audit', 'load']);
    });
  });
}
