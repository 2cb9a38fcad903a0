import 'reflect-metadata';
import type { Subscription } from 'rxjs';
import { container as rootContainer } from 'tsyringe';
import type { Type } from '../../decorators/types';
import type { SynergyFlowApp } from '../application';
import { bootstrap } from '../bootstrap';
import type { BootstrapOptions } from '../bootstrap-options';
import type { Cluster } from '../clusters/cluster';
import { BoundCluster } from '../clusters/bound-cluster';
import type { FlowEvent } from '../domain/flow-event';
import { StepContext } from '../engine/step-context';
import { StepAttempt } from '../engine/step-attempt';
import { scanStep } from '../metadata/step-scanner';
import { StepState } from '../domain/states';
import { newRunId } from '../domain/run-id';
import { freshSchema } from '../persistence/fresh-schema';
import { maskThrownValue } from '../logging/thrown-value-redaction';
import { stepCluster, type StepClusterIdentity } from './step-cluster';
import { makeTemporaryDirectory, removeTemporaryDirectory } from './temporary-directory';

/** `bootstrap()`'s options, each optional but the flows; the harness fills the database, the log directory and the cluster. */
export interface TestingAppOptions extends Partial<BootstrapOptions> {
  /** The `@Flow` classes under test. */
  flows: Type[];
}

/** What {@link TestingApp.runStep} reports of one step execution. */
export interface StepRunOutcome {
  state: StepState.PROCESSED | StepState.INVALID;
  /**
   * What the step threw, its known secrets masked as in the logs: its message, stack, string fields
   * and cause. The same object, so `instanceof` and its other fields work (a frozen one: a masked copy
   * with the same prototype).
   */
  error?: unknown;
  /** The action events of this execution, in order. */
  events: FlowEvent[];
}

/** What a step run by {@link TestingApp.runStep} sees: its context, and the cluster it runs on. */
export interface RunStepContext extends Partial<Pick<StepContext, 'flowName' | 'timeperiod' | 'settings' | 'attempt'>> {
  /**
   * `ctx.cluster`: `{ name, clusterId }` of the cluster the step should see (an EMR cluster's `etl`
   * and `j-...`), its commands run on this machine; or a Cluster of your own (one that records the
   * commands, say), neither launched nor terminated by the harness. The local cluster `local-test`,
   * with no clusterId, when absent.
   */
  cluster?: Cluster | StepClusterIdentity;
}

/** The harness {@link createTestingApp} returns. */
export interface TestingApp {
  /** The application under test, as `bootstrap()` returns it. */
  app: SynergyFlowApp;
  /** Every event the app emitted since creation, in order. */
  events: FlowEvent[];
  /**
   * Where the step and flow logs are written: a temporary directory unless the options gave one,
   * removed by teardown() or, if the suite never calls it, when the process exits.
   */
  logDirectory: string;
  /**
   * Runs one step class's pre/main/post in isolation, outside any flow run: nothing is persisted.
   *
   * @param stepClass a `@Step` class (it need not be in any flow)
   * @param ctx the flow name, timeperiod, settings, attempt and cluster the step sees
   * @returns whether it was processed, the error if not, and its action events
   * @throws `FlowDefinitionError` (from synergy-flow) when the class is not a valid step
   * @throws `TypeError` when `ctx.cluster` is neither a Cluster nor `{ name, clusterId? }`
   */
  runStep(stepClass: Type, ctx?: RunStepContext): Promise<StepRunOutcome>;
  /** Closes the application and removes the temporary log directory. */
  teardown(): Promise<void>;
}

/**
 * A ready harness for mocha suites: in-memory SQLite, a temporary log directory, the local
 * cluster, every event recorded. `SYNERGY_TEST_DATABASE` (JSON TypeORM options) swaps the database.
 *
 * @param options the flows under test, and any `bootstrap()` option to override
 * @returns the harness; call its `teardown()` when the suite ends
 * @throws `FlowDefinitionError` (from synergy-flow) for a mistake in a flow's declaration
 * @throws `ConfigurationError` (from synergy-flow) for a wrong option
 * @example
 * ```ts
 * import { createTestingApp, type TestingApp } from 'synergy-flow/testing';
 *
 * describe('daily_etl', () => {
 *   let t: TestingApp;
 *   beforeEach(async () => (t = await createTestingApp({ flows: [DailyEtl] })));
 *   afterEach(() => t.teardown());
 *
 *   it('processes every step', async () => {
 *     const result = await t.app.run('daily_etl', { timeperiod: '2026112600' });
 *     expect(result.state).to.equal('processed');
 *   });
 *
 *   it('runs one step alone', async () => {
 *     expect((await t.runStep(Extract, { timeperiod: '2026112600' })).state).to.equal('processed');
 *   });
 *
 *   it('tags the EMR cluster it runs on', async () => {
 *     expect((await t.runStep(TagCluster, { cluster: { name: 'etl', clusterId: 'j-2AXXXXXXGAPLF' } })).state).to.equal('processed');
 *   });
 * });
 * ```
 */
export async function createTestingApp(options: TestingAppOptions): Promise<TestingApp> {
  const logDirectory = options.logDirectory ?? makeTemporaryDirectory('synergy-flow-test-');
  /** The temporary directory is ours only when the caller gave none. */
  const removeOwnLogDirectory = () => {
    if (!options.logDirectory) removeTemporaryDirectory(logDirectory);
  };
  // A shared PostgreSQL gives each harness a schema of its own: it starts empty, like in-memory SQLite.
  const own = options.database ? undefined : freshSchema(testDatabase()!);
  const database = options.database ?? own!.options;
  // ready(): a harness fails at once on a database it cannot open, not at its first run.
  const app = await bootstrap({ cluster: { type: 'local', count: 2 }, ...options, database, logDirectory })
    .then(async (started) => {
      await started.ready().catch(async (err: unknown) => {
        await started.close().catch(() => undefined);
        throw err;
      });
      return started;
    })
    .catch(async (err) => {
      await own?.drop().catch(() => undefined);
      // A harness that never started leaves nothing behind.
      removeOwnLogDirectory();
      throw err;
    });
  const events: FlowEvent[] = [];
  const subscription: Subscription = app.events$.subscribe((e) => events.push(e));

  return {
    app,
    events,
    logDirectory,
    async runStep(stepClass, ctx = {}) {
      const step = scanStep(stepClass, ctx.flowName ?? 'testing');
      const cluster = stepCluster(ctx.cluster);
      const own: FlowEvent[] = [];
      // runStep is no run of the engine's: an id of its own, so the step's log lines and events still name one.
      const run = { timeperiod: ctx.timeperiod ?? '2026112600', runId: newRunId(), attempt: ctx.attempt ?? 1 };
      const logger = app.logs.stepLogger(ctx.flowName ?? 'testing', step.name, run);
      const controller = new AbortController();
      const context = new StepContext({
        flowName: ctx.flowName ?? 'testing',
        timeperiod: run.timeperiod,
        runId: run.runId,
        runMode: 'run_one',
        settings: ctx.settings ?? options.settings ?? {},
        credentials: options.credentials,
        stepName: step.name,
        attempt: ctx.attempt ?? 1,
        logger,
        cluster: new BoundCluster(cluster, { logger, signal: controller.signal }),
        signal: controller.signal,
      });
      try {
        await StepAttempt.inContext({ ...step, dependsOn: [] }, context, {
          container: options.container ?? rootContainer,
          logs: app.logs,
          // The application's own redactor: every secret bootstrap() knows (credentials, cluster and database
          // keys, the environment's AWS keys), not a second list that could miss some.
          redact: app.logs.redact,
          emit: (e) => own.push(e),
        }).run();
        return { state: StepState.PROCESSED, events: own };
      } catch (error) {
        // Masked like the events and the log: a test prints it (String(error), a failed assertion's message).
        return { state: StepState.INVALID, error: maskThrownValue(error, app.logs.redact), events: own };
      } finally {
        await app.logs.written();
      }
    },
    async teardown() {
      subscription.unsubscribe();
      await app.close();
      await own?.drop();
      removeOwnLogDirectory();
    },
  };
}

function testDatabase(): BootstrapOptions['database'] {
  const fromEnv = process.env.SYNERGY_TEST_DATABASE;
  return fromEnv ? (JSON.parse(fromEnv) as BootstrapOptions['database']) : { type: 'better-sqlite3', database: ':memory:' };
}
