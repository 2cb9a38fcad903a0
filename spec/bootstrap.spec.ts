import { expect } from 'chai';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HelloWorldFlow } from '../samples';

const repoRoot = path.resolve(__dirname, '..', '..');

describe('bootstrap and the package entry points', () => {
  it("require('<repo root>') gives the public API the README documents", () => {
    const api = require(repoRoot);
    for (const name of [
      'Flow',
      'Step',
      'Pre',
      'Main',
      'Post',
      'DependsOn',
      'bootstrap',
      'StepContext',
      'FlowState',
      'StepState',
      'FlowGraph',
    ]) {
      expect(api[name], name).to.satisfy((v: unknown) => typeof v === 'function' || (typeof v === 'object' && v !== null));
    }
    for (const error of [
      'SynergyFlowError',
      'FlowDefinitionError',
      'UnknownFlowError',
      'UnknownStepError',
      'StepBlockedError',
      'FlowLockedError',
      'InvalidTimeperiodError',
      'ClusterError',
      'StepTimeoutError',
      'FlowCancelledError',
    ]) {
      expect(api[error].prototype, error).to.be.instanceOf(error === 'SynergyFlowError' ? Error : api.SynergyFlowError);
    }
    expect(new api.FlowDefinitionError('x', { kind: 'no-steps', flow: 'f' })).to.include({
      name: 'FlowDefinitionError',
      code: 'ERR_SYNERGY_FLOW_DEFINITION',
      kind: 'no-steps',
      flow: 'f',
    });
    expect(api.FlowState).to.deep.equal({
      EMBRYO: 'embryo',
      IN_PROGRESS: 'in_progress',
      PROCESSED: 'processed',
      NOOP: 'noop',
      INVALID: 'invalid',
    });
    expect(Object.values(api.StepState)).to.deep.equal(['embryo', 'in_progress', 'processed', 'noop', 'invalid', 'canceled']);
  });

  it("'synergy-flow/testing' is a second entry point", () => {
    const testing = require('synergy-flow/testing');
    expect(testing.createTestingApp).to.be.a('function');
  });

  it('defaults to a SQLite file in WAL mode, logs/ and two local clusters', async () => {
    const { bootstrap } = require(repoRoot);
    const cwd = process.cwd();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-defaults-'));
    process.chdir(dir);
    try {
      const app = await bootstrap({ flows: [HelloWorldFlow] });
      const { runId, ...result } = await app.run('hello_world', { timeperiod: '2026112600' });
      expect(runId).to.be.a('string');
      expect(result).to.deep.equal({
        flowName: 'hello_world',
        timeperiod: '2026112600',
        state: 'processed',
        steps: { hello: 'processed', world: 'processed' },
      });
      expect(app.flows()).to.deep.equal(['hello_world']);
      await app.close();
      expect(fs.readFileSync(path.join(dir, 'logs', 'hello_world', 'world.log'), 'utf8')).to.include('world of 2026112600');
      const db = new Database(path.join(dir, 'synergy-flow.db'), { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
      const columns = (table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
      expect(columns('flow')).to.include.members([
        'id',
        'flow_name',
        'timeperiod',
        'start_timeperiod',
        'end_timeperiod',
        'state',
        'run_mode',
        'created_at',
        'started_at',
        'finished_at',
      ]);
      expect(columns('step')).to.include.members([
        'id',
        'flow_id',
        'flow_name',
        'step_name',
        'timeperiod',
        'state',
        'attempt',
        'created_at',
        'started_at',
        'finished_at',
      ]);
      expect(db.prepare('SELECT flow_name, state, run_mode FROM flow').all()).to.deep.equal([
        { flow_name: 'hello_world', state: 'processed', run_mode: 'run' },
      ]);
      db.close();
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports definition mistakes before opening anything', async () => {
    const { bootstrap, FlowDefinitionError } = require(repoRoot);
    class NotAFlow {}
    const error = await bootstrap({ flows: [NotAFlow], database: { type: 'better-sqlite3', database: '/nonexistent/dir/x.db' } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(FlowDefinitionError);
  });

  it('rejects bad cluster options before creating anything', async () => {
    const { bootstrap, ConfigurationError } = require(repoRoot);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-bad-cluster-'));
    const database = { type: 'better-sqlite3', database: path.join(dir, 'state.db') };
    try {
      const cases: Array<[unknown, RegExp]> = [
        [{ type: 'local', count: 0 }, /cluster\.count: must be a whole number from 1 to 1000, got 0/],
        [{ type: 'kubernetes' }, /cluster\.type: unsupported cluster type 'kubernetes'/],
      ];
      for (const [cluster, message] of cases) {
        const error = await bootstrap({ flows: [HelloWorldFlow], database, logDirectory: path.join(dir, 'logs'), cluster }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error, JSON.stringify(cluster)).to.be.instanceOf(ConfigurationError);
        expect((error as Error).message).to.match(message);
      }
      expect(fs.readdirSync(dir)).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad EMR cluster options with one ConfigurationError listing them, before creating anything', async () => {
    const { bootstrap, ConfigurationError } = require(repoRoot);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-bad-emr-'));
    try {
      const cluster = { type: 'emr', region: 'us-east-1', instanceCount: 2.5, logURI: 's3://logs/' };
      const database = { type: 'better-sqlite3', database: path.join(dir, 'state.db') };
      const error = await bootstrap({ flows: [HelloWorldFlow], database, logDirectory: path.join(dir, 'logs'), cluster }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ConfigurationError);
      expect((error as { problems: Array<{ path: string }> }).problems.map((p) => p.path)).to.have.members([
        'cluster.name',
        'cluster.instanceCount',
        'cluster.logURI',
      ]);
      expect((error as Error).message).to.include("did you mean 'logUri'");
      expect(fs.readdirSync(dir)).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
