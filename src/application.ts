import { Subject, type Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import { UnknownFlowError, FlowRunNotFoundError, ApplicationClosedError } from './errors';
import type { ExecutionEngine } from './engine/execution-engine';
import { DEFAULT_GRACE_PERIOD_MS, TERMINATION_BUDGET_MS } from './engine/grace-period';
import { signalShutdown, type ShutdownParticipant } from './engine/signal-shutdown';
import type { FlowEvent } from './engine/flow-event';
import type { FlowRunResult, RunOptions } from './engine/run-options';
import type { FlowGraph } from './graph/flow-graph';
import type { LogManager } from './logging/log-manager';
import type { FlowDefinition } from './metadata/flow-definition';
import type { FlowRecord } from './persistence/flow-record';
import type { StateStore } from './persistence/state-store';
import { describeDatabase } from './persistence/data-source.factory';
import type { DatabaseOptions } from './persistence/database-options';
import { markRetired, type StepStatus } from './engine/retired-steps';
import { assertTimeperiod } from './timeperiod/timeperiod';
import type { ServeOptions, ViewerServer } from './viewer';
import type { CliOptions } from './cli/run-cli';

/** What {@link SynergyFlowApp.status} returns: a flow run's record and its steps' records. */
export interface FlowStatus {
  /** The flow's record for that timeperiod. */
  flow: FlowRecord;
  /** Every step row of the run; those of steps removed from the definition are marked `retired`. */
  steps: StepStatus[];
}

/**
 * What `bootstrap()` returns: the flows, the four run modes, their state and their events.
 *
 * @example
 * ```ts
 * const app = await bootstrap({ flows: [DailyEtl] });
 * app.events$.subscribe((event) => console.log(event.type, event.state));
 * const result = await app.run('daily_etl', { timeperiod: '2026112600' });
 * if (result.state === 'invalid') await app.recover('daily_etl', { timeperiod: '2026112600' });
 * await app.close();
 * ```
 */
export class SynergyFlowApp {
  /** Every flow, step and action state change, after it is persisted. */
  readonly events$: Observable<FlowEvent>;
  private closed = false;

  /** @internal `bootstrap()` builds the application. */
  constructor(
    private readonly definitions: ReadonlyMap<string, FlowDefinition>,
    private readonly engine: ExecutionEngine,
    private readonly store: StateStore,
    private readonly dataSource: DataSource,
    readonly logs: LogManager,
    private readonly eventsSubject: Subject<FlowEvent>,
    private readonly shutdown: { gracePeriodMs: number; handleSignals: boolean } = { gracePeriodMs: DEFAULT_GRACE_PERIOD_MS, handleSignals: true },
  ) {
    this.events$ = eventsSubject.asObservable();
    this.participant = {
      gracePeriodMs: shutdown.gracePeriodMs,
      cancelAll: (reason) => engine.cancelAll(reason),
      abandonAll: (reason) => engine.abandonAll(reason),
      close: (waitForRuns) => this.shutDown(waitForRuns),
    };
  }

  /** What SIGINT/SIGTERM asks of this application while its runs are in flight. */
  private readonly participant: ShutdownParticipant;

  /** The runs in flight, which close() lets record their states before the database goes. */
  private readonly inFlight = new Set<Promise<void>>();

  /** While a run is in flight, SIGINT/SIGTERM stop it gracefully and exit 130/143 (unless handleSignals is false). */
  private guarded<T>(start: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ApplicationClosedError());
    const run = start();
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return this.shutdown.handleSignals ? signalShutdown.track(this.participant, run) : run;
  }

  /**
   * Runs every step: finds or creates the flow record, purges its old step records. A failing step
   * does not make it throw: the result's state is `invalid`.
   *
   * @param flow the flow's name
   * @param options the `timeperiod` (`YYYYMMDDHH`), and optionally the clusters, a signal, failFast...
   * @returns the flow's final state and each step's
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   * @throws {@link InvalidTimeperiodError} the timeperiod is not `YYYYMMDDHH`
   * @throws {@link ConfigurationError} wrong run options
   * @throws {@link FlowLockedError} the same flow and timeperiod is running (here or in another engine)
   * @throws {@link ApplicationClosedError} the application is closed
   * @example
   * ```ts
   * const result = await app.run('daily_etl', { timeperiod: '2026112600' });
   * console.log(result.state, result.steps); // 'processed' { extract: 'processed', transform: 'processed' }
   * ```
   */
  async run(flow: string, options: RunOptions): Promise<FlowRunResult> {
    return this.guarded(() => this.engine.execute(this.definition(flow), 'run', options));
  }

  /**
   * Keeps the processed steps of an earlier run and runs the rest.
   *
   * @param flow the flow's name
   * @param options as for {@link SynergyFlowApp.run}
   * @returns the flow's final state and each step's
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   * @throws {@link InvalidTimeperiodError} the timeperiod is not `YYYYMMDDHH`
   * @throws {@link ConfigurationError} wrong run options
   * @throws {@link FlowLockedError} the same flow and timeperiod is running (here or in another engine)
   * @throws {@link ApplicationClosedError} the application is closed
   * @throws {@link FlowRunNotFoundError} the flow never ran for that timeperiod
   * @example
   * ```ts
   * const first = await app.run('daily_etl', { timeperiod: '2026112600' });
   * if (first.state === 'invalid') await app.recover('daily_etl', { timeperiod: '2026112600' });
   * ```
   */
  async recover(flow: string, options: RunOptions): Promise<FlowRunResult> {
    return this.guarded(() => this.engine.execute(this.definition(flow), 'recover', options));
  }

  /**
   * Runs one step (its dependencies must be processed) on one cluster.
   *
   * @param flow the flow's name
   * @param step the step's name
   * @param options as for {@link SynergyFlowApp.run}
   * @returns the flow's state and each step's
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   * @throws {@link InvalidTimeperiodError} the timeperiod is not `YYYYMMDDHH`
   * @throws {@link ConfigurationError} wrong run options
   * @throws {@link FlowLockedError} the same flow and timeperiod is running (here or in another engine)
   * @throws {@link ApplicationClosedError} the application is closed
   * @throws {@link UnknownStepError} the flow has no such step
   * @throws {@link StepBlockedError} a dependency of the step is not processed
   * @example
   * ```ts
   * await app.runOne('daily_etl', 'transform', { timeperiod: '2026112600' });
   * ```
   */
  async runOne(flow: string, step: string, options: RunOptions): Promise<FlowRunResult> {
    return this.guarded(() => this.engine.execute(this.definition(flow), 'run_one', options, step));
  }

  /**
   * Runs a step and all its descendants (its dependencies must be processed).
   *
   * @param flow the flow's name
   * @param step the first step to run again
   * @param options as for {@link SynergyFlowApp.run}
   * @returns the flow's final state and each step's
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   * @throws {@link InvalidTimeperiodError} the timeperiod is not `YYYYMMDDHH`
   * @throws {@link ConfigurationError} wrong run options
   * @throws {@link FlowLockedError} the same flow and timeperiod is running (here or in another engine)
   * @throws {@link ApplicationClosedError} the application is closed
   * @throws {@link UnknownStepError} the flow has no such step
   * @throws {@link StepBlockedError} a dependency of the step is not processed
   * @example
   * ```ts
   * await app.runFrom('daily_etl', 'transform', { timeperiod: '2026112600' });
   * ```
   */
  async runFrom(flow: string, step: string, options: RunOptions): Promise<FlowRunResult> {
    return this.guarded(() => this.engine.execute(this.definition(flow), 'run_from', options, step));
  }

  /**
   * The persisted state of a flow run and of its steps.
   *
   * @param flow the flow's name
   * @param timeperiod `YYYYMMDDHH`
   * @returns the flow's record and its steps' records (those of removed steps marked `retired`)
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   * @throws {@link InvalidTimeperiodError} the timeperiod is not `YYYYMMDDHH`
   * @throws {@link FlowRunNotFoundError} the flow never ran for that timeperiod
   * @example
   * ```ts
   * const { flow, steps } = await app.status('daily_etl', '2026112600');
   * for (const step of steps) console.log(step.stepName, step.state, step.attempt);
   * ```
   */
  async status(flow: string, timeperiod: string): Promise<FlowStatus> {
    const { graph } = this.definition(flow);
    assertTimeperiod(timeperiod);
    const record = await this.store.findFlow(flow, timeperiod);
    if (!record) throw new FlowRunNotFoundError(flow, timeperiod, 'status');
    return { flow: record, steps: markRetired(await this.store.findSteps(flow, timeperiod), graph) };
  }

  /**
   * The most recent runs of a flow, newest timeperiod first.
   *
   * @param flow the flow's name
   * @param options how many (`limit`) after how many (`offset`)
   * @returns one record per timeperiod the flow ran for
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   * @example
   * ```ts
   * const [latest] = await app.runs('daily_etl', { limit: 1 });
   * ```
   */
  runs(flow: string, options: { limit?: number; offset?: number } = {}): Promise<FlowRecord[]> {
    this.definition(flow);
    return this.store.findRuns(flow, options);
  }

  /**
   * The flow's graph of steps: order, dependencies, descendants, DOT and Mermaid export.
   *
   * @param flow the flow's name
   * @returns the graph
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   * @example
   * ```ts
   * console.log(app.graph('daily_etl').topologicalOrder()); // ['extract', 'transform']
   * ```
   */
  graph(flow: string): FlowGraph {
    return this.definition(flow).graph;
  }

  /**
   * The names of the application's flows.
   *
   * @returns the names, in the order the flows were given to `bootstrap()`
   * @example
   * ```ts
   * console.log(app.flows()); // ['daily_etl']
   * ```
   */
  flows(): string[] {
    return [...this.definitions.keys()];
  }

  /** Which database this application reads and writes, for a person: `better-sqlite3 '/srv/etl/synergy-flow.db'`; never a password. */
  describeDatabase(): string {
    return describeDatabase(this.dataSource.options as DatabaseOptions);
  }

  /**
   * The validated definition of a flow (steps, options, actions).
   *
   * @param flow the flow's name
   * @returns the definition
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   */
  definition(flow: string): FlowDefinition {
    const definition = this.definitions.get(flow);
    if (!definition) throw new UnknownFlowError(String(flow), this.flows());
    return definition;
  }

  /**
   * Cancels a running flow run of this application: its running steps see `ctx.signal` abort and end canceled.
   *
   * @param flow the flow's name
   * @param timeperiod the run's timeperiod
   * @returns whether it was running
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   * @example
   * ```ts
   * const running = app.run('daily_etl', { timeperiod: '2026112600' });
   * app.cancel('daily_etl', '2026112600');
   * console.log((await running).state); // 'invalid'
   * ```
   */
  cancel(flow: string, timeperiod: string): boolean {
    this.definition(flow);
    return this.engine.cancel(flow, timeperiod);
  }

  /**
   * Starts the web flow viewer (docs/viewer.md); it closes with the application.
   *
   * @param options the `port` (0: any free one), `host`, `token`...
   * @returns the server's `url` and its `close()`
   * @throws {@link ConfigurationError} wrong options
   * @example
   * ```ts
   * const viewer = await app.serve({ port: 8080 });
   * console.log(`open ${viewer.url}`);
   * ```
   */
  serve(options: ServeOptions): Promise<ViewerServer> {
    // required here, not imported: applications that never serve do not load fastify
    const { startViewer } = require('./viewer') as typeof import('./viewer');
    return startViewer(this, options);
  }

  /**
   * The command line (docs/cli.md): runs one command (default: process.argv), then closes the
   * application. Resolves to the exit code: 0 done, 1 a flow run ended invalid, 2 bad usage.
   * It never throws: errors are printed (with `--json`, as `{ error: { name, code, message, exitCode } }`).
   *
   * @param argv the arguments after the program name
   * @param options how users invoke the program, for the usage text
   * @returns the exit code
   * @example
   * ```ts
   * // main.ts: `node main.js run daily_etl -t 2026112600`
   * const app = await bootstrap({ flows: [DailyEtl] });
   * process.exitCode = await app.cli();
   * ```
   */
  cli(argv?: string[], options?: CliOptions): Promise<number> {
    // required here, not imported: applications that never use the CLI do not load commander and listr2
    const { runCli } = require('./cli/run-cli') as typeof import('./cli/run-cli');
    return runCli(this, argv, options);
  }

  /**
   * Cancels what runs, lets it record its states (within the grace period), then closes the database and the log files.
   *
   * @returns once everything is closed; calling it again does nothing
   * @example
   * ```ts
   * try {
   *   await app.run('daily_etl', { timeperiod: '2026112600' });
   * } finally {
   *   await app.close();
   * }
   * ```
   */
  close(): Promise<void> {
    return this.shutDown(true);
  }

  private async shutDown(waitForRuns: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    signalShutdown.forget(this.participant);
    this.engine.cancelAll('the application is closing');
    if (waitForRuns) await settledWithin([...this.inFlight], this.shutdown.gracePeriodMs + TERMINATION_BUDGET_MS);
    this.eventsSubject.complete();
    this.logs.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Waits until every promise has settled, at most `ms`. */
async function settledWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  if (!promises.length) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(promises), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
