import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { FlowRunResult } from '../../src';
import { UNRECORDED_STEP_ERROR } from '../../src/persistence/state-store';
import { startPostgres, type PostgresServer, type PostgresTestOptions } from '../support/postgres-server';
import { EngineWorker } from './fixtures/engine-worker';
import { ETL_STEPS, gateKey } from './fixtures/worker-flows';

const TP = '2026112600';

describe('persistence: a PostgreSQL outage in the middle of a run', function () {
  this.timeout(90_000);
  let server: PostgresServer;
  let database: PostgresTestOptions;
  let dir: string;
  const workers: EngineWorker[] = [];

  const start = (lease: { ttlMs: number; heartbeatMs: number }) =>
    EngineWorker.start({ database, logDirectory: path.join(dir, 'logs'), settings: { workDir: dir, gated: ['transform'] }, lease }).then(
      (w) => {
        workers.push(w);
        return w;
      },
    );
  /** The steps each execution ran, in order. */
  const executions = () =>
    fs
      .readFileSync(path.join(dir, 'executions.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[3]);
  const rows = async () => ({
    flow: (await server.query<{ state: string }>(database.database, 'SELECT state FROM flow'))[0]?.state,
    steps: Object.fromEntries(
      (await server.query<{ step_name: string; state: string }>(database.database, 'SELECT step_name, state FROM step')).map((r) => [
        r.step_name,
        r.state,
      ]),
    ),
  });
  /**
   * Waits until transform's main action has ended in the worker (its action's line in the step log
   * says so), whatever the database does: the step's own "processed in" waits for the write.
   */
  async function transformEnded(): Promise<void> {
    const log = path.join(dir, 'logs', 'etl', 'transform.log');
    const deadline = performance.now() + 20_000;
    while (!(fs.existsSync(log) && / transform\.\S+ INFO .* completed in /.test(fs.readFileSync(log, 'utf8')))) {
      if (performance.now() > deadline) throw new Error('transform never ended');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  /** Runs the flow until transform waits at its gate, stops the server, lets transform end: its write meets the outage. */
  async function outageWhileTransformEnds(worker: EngineWorker) {
    const run = worker.request({ op: 'run', flow: 'etl', timeperiod: TP });
    await Promise.all([
      worker.waitFor((m) => 'gated' in m, 'transform at its gate'),
      worker.waitForEvent((e) => e.type === 'step' && e.stepName === 'audit' && e.state === 'processed', 'audit processed'),
    ]);
    const outage = await server.outage();
    void worker.request({ op: 'open', gate: gateKey('etl', TP, 'transform') });
    await transformEnded();
    return { run, outage };
  }

  before(async () => (server = await startPostgres()));
  after(async () => server?.stop());
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-outage-'));
    database = await server.createDatabase();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rides out a server stop while a step ends: the run ends processed, no step left in_progress, nothing ran twice', async () => {
    const worker = await start({ ttlMs: 30_000, heartbeatMs: 10_000 });
    const { run, outage } = await outageWhileTransformEnds(worker);
    // Down a while longer: the step's write and the writes after it keep failing meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await outage.end();
    const reply = await run;
    expect(reply.error, JSON.stringify(reply.error)).to.equal(undefined);
    expect(reply.result).to.deep.include({ state: 'processed' });
    expect(await rows()).to.deep.equal({ flow: 'processed', steps: Object.fromEntries(ETL_STEPS.map((s) => [s, 'processed'])) });
    expect(executions().sort()).to.deep.equal([...ETL_STEPS].sort());
  });

  it('ends the run with DatabaseUnavailableError when the outage outlasts the lease TTL; recover afterwards completes it', async () => {
    const worker = await start({ ttlMs: 1_500, heartbeatMs: 500 });
    const { run, outage } = await outageWhileTransformEnds(worker);
    const reply = await run;
    expect(reply.error?.name, JSON.stringify(reply)).to.equal('DatabaseUnavailableError');
    expect(reply.error!.message).to.match(
      /^the database did not answer for \d+ ms \(the bound is lease\.ttlMs, after which another engine may take the run over\): .+; check the database server, then recover the run$/,
    );
    await outage.end();
    expect(await rows(), 'nothing of the outage was recorded').to.deep.equal({
      flow: 'in_progress',
      steps: { extract: 'processed', transform: 'in_progress', audit: 'processed', load: 'embryo' },
    });

    const recovering = worker.request({ op: 'recover', flow: 'etl', timeperiod: TP });
    // transform runs again, and waits at its gate again.
    await worker.waitFor(() => worker.messages.filter((m) => 'gated' in m).length === 2, 'transform at its gate again');
    void worker.request({ op: 'open', gate: gateKey('etl', TP, 'transform') });
    const recovered = await recovering;
    expect(recovered.error, JSON.stringify(recovered.error)).to.equal(undefined);
    expect((recovered.result as FlowRunResult).state).to.equal('processed');
    expect(await rows()).to.deep.equal({ flow: 'processed', steps: Object.fromEntries(ETL_STEPS.map((s) => [s, 'processed'])) });
    // transform ended during the outage, unrecorded: recover runs it again; nothing else twice.
    expect(executions().sort()).to.deep.equal([...ETL_STEPS, 'transform'].sort());
  });
});

describe('persistence: a SQLite write lock held past busy_timeout while a step ends', function () {
  this.timeout(60_000);
  let dir: string;
  let worker: EngineWorker | undefined;

  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-sqlite-lock-'))));
  afterEach(async () => {
    await worker?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ends the run invalid with no step left in_progress (the unrecorded one reads invalid, saying why); recover completes it', async () => {
    const file = path.join(dir, 'state.db');
    // A busy timeout of 1 s: the step's write gives up after its five tries, ~5 s; the flow's end then has as long.
    worker = await EngineWorker.start({
      database: { type: 'better-sqlite3', database: file, timeout: 1_000 },
      logDirectory: path.join(dir, 'logs'),
      settings: { workDir: dir, gated: ['transform'] },
    });
    const run = worker.request({ op: 'run', flow: 'etl', timeperiod: TP });
    await Promise.all([
      worker.waitFor((m) => 'gated' in m, 'transform at its gate'),
      worker.waitForEvent((e) => e.type === 'step' && e.stepName === 'audit' && e.state === 'processed', 'audit processed'),
    ]);
    const locker = new Database(file);
    try {
      locker.exec('BEGIN IMMEDIATE');
      void worker.request({ op: 'open', gate: gateKey('etl', TP, 'transform') });
      // The step's write has given up once the run, ending, terminates its clusters; then the lock goes.
      const flowLog = path.join(dir, 'logs', 'etl', 'etl.log');
      const deadline = performance.now() + 30_000;
      while (!(fs.existsSync(flowLog) && fs.readFileSync(flowLog, 'utf8').includes('terminated'))) {
        if (performance.now() > deadline) throw new Error('the run never ended');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      locker.exec('COMMIT');
      const reply = await run;
      expect(reply.error?.message, JSON.stringify(reply)).to.match(/SQLITE_BUSY|database is locked/);
      const steps = locker.prepare('SELECT step_name, state, error FROM step ORDER BY id').all() as Array<{
        step_name: string;
        state: string;
        error: string | null;
      }>;
      expect((locker.prepare('SELECT state FROM flow').get() as { state: string }).state).to.equal('invalid');
      expect(
        steps.filter((s) => s.state === 'in_progress'),
        'no step of the finished run reads in_progress',
      ).to.deep.equal([]);
      expect(steps.find((s) => s.step_name === 'transform')).to.deep.include({ state: 'invalid', error: UNRECORDED_STEP_ERROR });
    } finally {
      locker.close();
    }
    const recovering = worker.request({ op: 'recover', flow: 'etl', timeperiod: TP });
    await worker.waitFor(() => worker!.messages.filter((m) => 'gated' in m).length === 2, 'transform at its gate again');
    void worker.request({ op: 'open', gate: gateKey('etl', TP, 'transform') });
    const recovered = await recovering;
    expect(recovered.result, JSON.stringify(recovered.error)).to.deep.include({ state: 'processed' });
  });
});
