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
import type { FlowRecord } from './persistence/flow.entity';
import type { StateStore } from './persistence/state-store';
import { describeDatabase } from './persistence/data-source.factory';
import type { DatabaseOptions } from './persistence/database-options';
import { markRetired, type StepStatus } from './engine/retired-steps';
import { assertTimeperiod } from './timeperiod/timeperiod';
import type { ServeOptions, ViewerServer } from './viewer';
import type { CliOptions } from './cli/run-cli';

export interface FlowStatus {
  flow: FlowRecord;
  /** Every step row of the run; those of steps removed from the definition are marked `retired`. */
  steps: StepStatus[];
}

/** What bootstrap() returns: the flows, the four run modes, their state and their events. */
export class SynergyFlowApp {
  /** Every flow, step and action state change, after it is persisted. */
  readonly events$: Observable<FlowEvent>;
  private closed = false;

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

  /** Runs every step: finds or creates the flow record, purges its old step records. */
  async run(flow: string, options: RunOptions): Promise<FlowRunResult> {
    return this.guarded(() => this.engine.execute(this.definition(flow), 'run', options));
  }

  /** Keeps the processed steps of an earlier run and runs the rest. */
  async recover(flow: string, options: RunOptions): Promise<FlowRunResult> {
    return this.guarded(() => this.engine.execute(this.definition(flow), 'recover', options));
  }

  /** Runs one step (its dependencies must be processed) on one cluster. */
  async runOne(flow: string, step: string, options: RunOptions): Promise<FlowRunResult> {
    return this.guarded(() => this.engine.execute(this.definition(flow), 'run_one', options, step));
  }

  /** Runs a step and all its descendants (its dependencies must be processed). */
  async runFrom(flow: string, step: string, options: RunOptions): Promise<FlowRunResult> {
    return this.guarded(() => this.engine.execute(this.definition(flow), 'run_from', options, step));
  }

  async status(flow: string, timeperiod: string): Promise<FlowStatus> {
    const { graph } = this.definition(flow);
    assertTimeperiod(timeperiod);
    const record = await this.store.findFlow(flow, timeperiod);
    if (!record) throw new FlowRunNotFoundError(flow, timeperiod, 'status');
    return { flow: record, steps: markRetired(await this.store.findSteps(flow, timeperiod), graph) };
  }

  /** The most recent runs of a flow, newest timeperiod first. */
  runs(flow: string, options: { limit?: number; offset?: number } = {}): Promise<FlowRecord[]> {
    this.definition(flow);
    return this.store.findRuns(flow, options);
  }

  graph(flow: string): FlowGraph {
    return this.definition(flow).graph;
  }

  flows(): string[] {
    return [...this.definitions.keys()];
  }

  /** Which database this application reads and writes, for a person: `better-sqlite3 '/srv/etl/synergy-flow.db'`; never a password. */
  describeDatabase(): string {
    return describeDatabase(this.dataSource.options as DatabaseOptions);
  }

  /** The validated definition of a flow (steps, options, actions). */
  definition(flow: string): FlowDefinition {
    const definition = this.definitions.get(flow);
    if (!definition) throw new UnknownFlowError(String(flow), this.flows());
    return definition;
  }

  /** Cancels a running flow run of this application: its running steps end canceled. Returns whether it was running. */
  cancel(flow: string, timeperiod: string): boolean {
    this.definition(flow);
    return this.engine.cancel(flow, timeperiod);
  }

  /** Starts the web flow viewer (docs/viewer.md); it closes with the application. */
  serve(options: ServeOptions): Promise<ViewerServer> {
    // required here, not imported: applications that never serve do not load fastify
    const { startViewer } = require('./viewer') as typeof import('./viewer');
    return startViewer(this, options);
  }

  /**
   * The command line (docs/cli.md): runs one command (default: process.argv), then closes the
   * application. Resolves to the exit code: 0 done, 1 a flow run ended invalid, 2 bad usage.
   */
  cli(argv?: string[], options?: CliOptions): Promise<number> {
    // required here, not imported: applications that never use the CLI do not load commander and listr2
    const { runCli } = require('./cli/run-cli') as typeof import('./cli/run-cli');
    return runCli(this, argv, options);
  }

  /** Cancels what runs, lets it record its states (within the grace period), then closes the database and the log files. */
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
