import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FlowRunResult } from '../../src';
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
    EngineWorker.start({ database, logDirectory: path.join(dir, 'logs'), settings: { workDir: dir, gated: ['transform'] }, lease }).then((w) => {
      workers.push(w);
      return w;
    });
  /** The steps each execution ran, in order. */
  const executions = () =>
    fs
      .readFileSync(path.join(dir, 'executions.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[3]);
  const rows = async () => ({
    flow: (await server.query<{ state: string }>(database.database, 'SELECT state FROM flow'))[0]?.state,
    steps: Object.fromEntries((await server.query<{ step_name: string; state: string }>(database.database, 'SELECT step_name, state FROM step')).map((r) => [r.step_name, r.state])),
  });
  /** Waits until transform's main action has ended in the worker (its step log says so), whatever the database does. */
  async function transformEnded(): Promise<void> {
    const log = path.join(dir, 'logs', 'etl', 'transform.log');
    const deadline = performance.now() + 20_000;
    while (!(fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('processed in'))) {
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
    expect(reply.error!.message).to.match(/^the database did not answer for \d+ ms \(the bound is lease\.ttlMs, after which another engine may take the run over\): .+; check the database server, then recover the run$/);
    await outage.end();
    expect(await rows(), 'nothing of the outage was recorded').to.deep.equal({ flow: 'in_progress', steps: { extract: 'processed', transform: 'in_progress', audit: 'processed', load: 'embryo' } });

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
