import type { Observable } from 'rxjs';
import type { FlowEventHub } from './flow-event.hub';
import * as fs from 'node:fs';
import { debuglog, inspect } from 'node:util';
import type { ApplicationBackend, BackendUse } from './application-backend';
import type { ConnectionRole } from './persistence/application-name';
import {
  ApplicationClosedError,
  ConfigurationError,
  FlowRunNotFoundError,
  RunNotFoundError,
  UnknownFlowError,
  UnknownStepError,
} from './errors';
import { TERMINATION_BUDGET_MS } from './engine/grace-period';
import { signalShutdown, type ShutdownParticipant } from './engine/signal-shutdown';
import type { FlowEvent } from './domain/flow-event';
import type { FlowRunResult, RunOptions } from './engine/run-options';
import type { FlowGraph } from './graph/flow-graph';
import type { LogManager } from './logging/log-manager';
import type { KnownSecretsRedactor } from './logging/redaction';
import { createApplicationLogs, type ApplicationLogs } from './logging/application-logs';
import type { FlowDefinition } from './metadata/flow-definition';
import type { FlowRecord, RunMode } from './domain/flow-record';
import type { StepRecord } from './domain/step-record';
import { describeDatabase, sqliteFileOf } from './persistence/database-description';
import type { DatabaseOptions } from './persistence/database-options';
import { markRetired } from './engine/retired-steps';
import { assertTimeperiod } from './timeperiod/timeperiod';
import type { ServeOptions, ViewerServer } from './viewer';
import type { CliOptions } from './cli/run-cli';
import type { ApplicationHealth, FlowApplication, FlowStatus } from './flow-application.port';
import { pingDatabase } from './persistence/database-ping';
import { thisProcess } from './persistence/lease/process-identity';
import { describeError } from './engine/describe-error';
import type { Scheduler, SchedulerOptions } from './scheduler';
import type { ScheduleStore } from './persistence/schedule/schedule-store';
import type { ActiveRunRecord, FlowRunRecord, FlowRunSummary } from './domain/flow-run-record';
import type { HistoryOptions } from './persistence/history/history-query.options';
import { RUN_ID_PATTERN } from './domain/run-id';
import { checkRunOptions } from './engine/run-options.check';

export type { FlowStatus };

/** How long a health check waits for the database (opening it included) before it says unreachable. */
const HEALTH_CHECK_TIMEOUT_MS = 3_000;

/**
 * Where an application is in its life: `starting` (flows scanned, database not opened yet),
 * `running` (database open), `closing` (close() called, runs winding down), `closed`.
 */
export type ApplicationState = 'starting' | 'running' | 'closing' | 'closed';

/** What bootstrap() hands the application: checked options, every default filled. */
export interface ApplicationParts {
  definitions: ReadonlyMap<string, FlowDefinition>;
  logs: LogManager;
  /** The redactor the logs use, told the secrets the application learns later (the viewer's token). */
  secrets: KnownSecretsRedactor;
  events: FlowEventHub;
  database: DatabaseOptions;
  /** Opens the database and builds the engine on it; called once, on the first call that needs them. */
  openBackend: (use: BackendUse) => Promise<ApplicationBackend>;
  gracePeriodMs: number;
  handleSignals: boolean;
}

/** NODE_DEBUG=synergy-flow shows each application's state transitions on stderr. */
const debug = debuglog('synergy-flow');

/**
 * What bootstrap() returns (its only factory): the flows, the four run modes, their state and
 * their events. The database is opened by the first call that needs it (or by `ready()`), so that
 * an entry file can bootstrap at import and `--help` still costs nothing.
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
export class SynergyFlowApp implements FlowApplication {
  /**
   * The application's logs (README, "Logs"): `await app.logs(flow, { step, timeperiod, runId, attempt })`
   * reads the lines of a run; `app.logs.stepLogFile(flow, step)` and the like say where the files are.
   */
  readonly logs: ApplicationLogs;
  private current: ApplicationState = 'starting';
  /** The one opening of the database, shared by every call that needs it; unset again if it failed. */
  private opening?: Promise<ApplicationBackend>;
  private backend?: ApplicationBackend;
  /**
   * What its PostgreSQL connections are named for (`synergy-flow viewer`): the first front end the
   * application was asked for before its database opened, `engine` when none was (runs, reads).
   */
  private role: ConnectionRole = 'engine';
  /** The one close(): a second call gets the same promise, and so waits as long as the first. */
  private closing?: Promise<void>;
  private handleSignals: boolean;

  /** What SIGINT/SIGTERM asks of this application while its runs are in flight. */
  private readonly participant: ShutdownParticipant;

  /** The runs in flight, which close() lets record their states before the database goes. */
  private readonly inFlight = new Set<Promise<void>>();

  /** The schedulers of app.scheduler(): close() stops them starting runs. */
  private readonly schedulers = new Set<Scheduler>();
  private scheduleStore?: Promise<ScheduleStore>;

  /** Every flow, step and action state change, after it is persisted. */
  get events$(): Observable<FlowEvent> {
    return this.parts.events.asObservable();
  }

  private constructor(private readonly parts: ApplicationParts) {
    this.logs = createApplicationLogs(parts.logs, (flow) => this.definition(flow));
    this.handleSignals = parts.handleSignals;
    this.participant = {
      gracePeriodMs: parts.gracePeriodMs,
      cancelAll: (reason, byFailure) => this.backend?.engine.cancelAll(reason, byFailure),
      abandonAll: async (reason) => this.backend?.engine.abandonAll(reason),
      close: (waitForRuns) => this.shutDown(waitForRuns),
      redact: (text) => this.logs.redact(text),
    };
  }

  /** @internal bootstrap() is the factory: it checks the options and scans the flows first. */
  static create(parts: ApplicationParts): SynergyFlowApp {
    return new SynergyFlowApp(parts);
  }

  /** `starting` until the database is open, then `running`; `closing` and `closed` once close() is called. */
  get state(): ApplicationState {
    return this.current;
  }

  private moveTo(next: ApplicationState): void {
    debug('application %s -> %s', this.current, next);
    this.current = next;
  }

  /**
   * Opens the database now (migrating it unless `migrationsRun: false`) instead of on the first
   * call that needs it: for a service that wants to fail at start-up, not at its first run.
   */
  async ready(): Promise<void> {
    await this.open('open the database');
  }

  private open(operation: string): Promise<ApplicationBackend> {
    if (this.current === 'closing' || this.current === 'closed') return Promise.reject(new ApplicationClosedError(operation, this.current));
    this.opening ??= this.parts.openBackend({ role: this.role }).then(
      (backend) => {
        this.backend = backend;
        if (this.current === 'starting') this.moveTo('running');
        return backend;
      },
      (err: unknown) => {
        // A later call tries again: the database may be up by then.
        this.opening = undefined;
        throw err;
      },
    );
    return this.opening;
  }

  /**
   * Names the connections for a front end, if none was asked for before (the viewer's own scheduler
   * keeps `viewer`): a database opened already (`ready()`, a run) has its connections renamed. Never
   * rejects: a name is for operators, and a database that failed to open is opened again with it.
   */
  private useAs(role: ConnectionRole): Promise<void> {
    if (this.role !== 'engine') return Promise.resolve();
    this.role = role;
    return this.opening ? this.opening.then((backend) => backend.rename(role)).catch(() => undefined) : Promise.resolve();
  }

  /**
   * The database for a call that only reads; undefined when it is a SQLite file that does not
   * exist, which opening would create: a flow there has never run.
   */
  private async readable(operation: string): Promise<ApplicationBackend | undefined> {
    if (!this.opening) {
      const file = sqliteFileOf(this.parts.database);
      if (file && !fs.existsSync(file)) {
        if (this.current === 'closing' || this.current === 'closed') throw new ApplicationClosedError(operation, this.current);
        return undefined;
      }
    }
    return this.open(operation);
  }

  /** While a run is in flight, SIGINT/SIGTERM stop it gracefully and exit 130/143 (when handleSignals is on). */
  private guarded(mode: RunMode, flow: string, options: RunOptions, step?: string): Promise<FlowRunResult> {
    if (this.current === 'closing' || this.current === 'closed') return Promise.reject(new ApplicationClosedError(mode, this.current));
    const run = (async () => {
      const definition = this.definition(flow);
      // A bad request is refused before the database is opened (or created); zod only for options the quick check cannot vouch for.
      const { timeperiod } = checkRunOptions(options);
      if (step !== undefined && !definition.graph.has(step)) throw new UnknownStepError(definition.name, step, definition.graph.steps);
      // Nothing to recover in a SQLite file that does not exist: said without creating it.
      if (mode === 'recover' && !(await this.readable(mode))) throw new FlowRunNotFoundError(definition.name, timeperiod, 'recover');
      const { engine } = await this.open(mode);
      if (this.current === 'closing' || this.current === 'closed') throw new ApplicationClosedError(mode, this.current);
      return engine.execute(definition, mode, options, step);
    })();
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return this.handleSignals ? signalShutdown.track(this.participant, run) : run;
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
    return this.guarded('run', flow, options);
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
    return this.guarded('recover', flow, options);
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
    return this.guarded('run_one', flow, options, step);
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
   * @throws {@link StepBlockedError} a dependency of the step is not processed, or a descendant's
   *   dependency outside the run is not (the descendant would run on a missing or failed output)
   * @example
   * ```ts
   * await app.runFrom('daily_etl', 'transform', { timeperiod: '2026112600' });
   * ```
   */
  async runFrom(flow: string, step: string, options: RunOptions): Promise<FlowRunResult> {
    return this.guarded('run_from', flow, options, step);
  }

  /**
   * The persisted state of a flow run and of its steps.
   * A SQLite file that does not exist is not created: the run has never happened.
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
    const backend = await this.readable('read a status');
    const record = backend && (await backend.store.findFlow(flow, timeperiod));
    if (!backend || !record) throw new FlowRunNotFoundError(flow, timeperiod, 'status');
    return { flow: record, steps: markRetired(await backend.store.findSteps(flow, timeperiod), graph) };
  }

  /**
   * The most recent runs of a flow, newest timeperiod first.
   * None, and no file created, when the SQLite file does not exist.
   *
   * @param flow the flow's name
   * @param options how many (`limit`) after how many (`offset`), only timeperiods earlier than `before`
   * @returns one record per timeperiod the flow ran for
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   * @throws {@link InvalidTimeperiodError} `before` is not `YYYYMMDDHH`
   * @example
   * ```ts
   * const [latest] = await app.runs('daily_etl', { limit: 1 });
   * ```
   */
  async runs(flow: string, options: { limit?: number; offset?: number; before?: string } = {}): Promise<FlowRecord[]> {
    this.definition(flow);
    if (options.before !== undefined) assertTimeperiod(options.before);
    const backend = await this.readable('list runs');
    return backend ? backend.store.findRuns(flow, options) : [];
  }

  /**
   * Each step's current state and attempt count in several timeperiods of a flow, read in one query
   * (the viewer's grid of timeperiods x steps). None, and no file created, when the SQLite file does
   * not exist.
   *
   * @param flow the flow's name
   * @param timeperiods the timeperiods, `YYYYMMDDHH` each
   * @param options `changedSince`: only the steps whose start or end was stamped then or later (by the
   * clock of the engine that ran them), a poll of a big run reading the few steps that moved
   * @returns one entry per step row of those timeperiods, in no particular order
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   * @throws {@link InvalidTimeperiodError} a timeperiod is not `YYYYMMDDHH`
   * @throws {@link ConfigurationError} `changedSince` is not a valid Date
   * @example
   * ```ts
   * const cells = await app.stepStates('daily_etl', ['2026112500', '2026112600']);
   * ```
   */
  async stepStates(
    flow: string,
    timeperiods: readonly string[],
    options: { changedSince?: Date } = {},
  ): Promise<Array<Pick<StepRecord, 'stepName' | 'timeperiod' | 'state' | 'attempt'>>> {
    this.definition(flow);
    for (const timeperiod of timeperiods) assertTimeperiod(timeperiod);
    if (options.changedSince !== undefined) assertValidDate('stepStates()', 'changedSince', options.changedSince);
    const backend = await this.readable('read step states');
    return backend ? backend.store.findStepStatesOf(flow, timeperiods, options.changedSince) : [];
  }

  /**
   * The flow's past runs, newest first, each with every attempt of its steps (README, "Run
   * history"). Every call of run, recover, runOne and runFrom is one run, whoever made it; runs that
   * ended more than `history.keepDays` ago are deleted. None, and no file created, when the SQLite
   * file does not exist.
   *
   * @param flow the flow's name
   * @param options `timeperiod` (only that timeperiod's runs), `limit` (default 20, at most 1000),
   * `before` (a run id: only older runs, for the next page), `attempts: false` (the runs alone, as
   * a list of runs needs them: a run of a 10,000-step flow has 10,000 attempts to read), `step`
   * (the same runs, each with that step's attempts only, as a page that shows one step needs them)
   * @returns the runs, newest first, each with its `attempts` in the order they started (none with
   * `attempts: false`, that step's with `step`)
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   * @throws {@link UnknownStepError} `step` is not one of the flow's steps
   * @throws {@link InvalidTimeperiodError} the timeperiod is not `YYYYMMDDHH`
   * @throws {@link ConfigurationError} wrong options (a limit out of range, an unknown option...)
   * @throws {@link RunNotFoundError} `before` names no run of this flow
   * @example
   * ```ts
   * const page = await app.history('daily_etl', { limit: 10 });
   * for (const run of page) console.log(run.runId, run.trigger, run.state, run.attempts.length);
   * const next = await app.history('daily_etl', { limit: 10, before: page.at(-1)!.runId });
   * ```
   */
  history(flow: string, options: HistoryOptions & { attempts: false }): Promise<FlowRunSummary[]>;
  history(flow: string, options?: HistoryOptions): Promise<FlowRunRecord[]>;
  async history(flow: string, options: HistoryOptions = {}): Promise<FlowRunRecord[] | FlowRunSummary[]> {
    const definition = this.definition(flow);
    // Required only now: the options schema loads zod, which --help and list never need.
    const { parseHistoryOptions } =
      require('./persistence/history/history-query.options') as typeof import('./persistence/history/history-query.options');
    const query = parseHistoryOptions(options);
    const { step } = query;
    if (step !== undefined && !definition.graph.has(step)) throw new UnknownStepError(definition.name, step, definition.graph.steps);
    const backend = await this.readable('read the history');
    if (!backend) {
      if (query.before !== undefined) throw new RunNotFoundError(query.before, flow);
      return [];
    }
    return query.attempts === false ? backend.history.summaries(flow, query) : backend.history.list(flow, query);
  }

  /**
   * The runs of this application's flows in progress in any engine that shares the database, and
   * those that ended at `endedSince` or later (default: now, so only those in progress), oldest
   * first, without their attempts (`history()` and `historyRun()` have them). A run whose engine
   * died reads in progress until `recover` (or a later run of its timeperiod) closes it, and says
   * why in `engineGone`. What a dashboard of
   * several engines polls: the viewer follows other engines' runs with it.
   *
   * @param options `endedSince`: also the runs that ended since then
   * @returns the runs, oldest first
   * @throws {@link ConfigurationError} `endedSince` is not a valid Date
   * @example
   * ```ts
   * for (const run of await app.activeRuns()) console.log(run.flowName, run.timeperiod, run.host, run.pid);
   * ```
   */
  async activeRuns(options: { endedSince?: Date } = {}): Promise<ActiveRunRecord[]> {
    const endedSince = options.endedSince ?? new Date();
    assertValidDate('activeRuns()', 'endedSince', endedSince);
    const backend = await this.readable('read the runs in progress');
    if (!backend) return [];
    return backend.history.active(this.flows(), endedSince);
  }

  /**
   * The run of [flow, timeperiod] in progress, in any engine that shares the database, as
   * `activeRuns()` lists it (the same `engineGone`), or null when none is: one run's read, where a
   * page that shows one run would otherwise read every run in progress of every flow.
   *
   * @param flow the flow's name
   * @param timeperiod `YYYYMMDDHH`
   * @returns the run in progress, or null
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   * @throws {@link InvalidTimeperiodError} the timeperiod is not `YYYYMMDDHH`
   * @example
   * ```ts
   * const run = await app.activeRun('daily_etl', '2026112600');
   * if (run?.engineGone) console.log(`nothing runs it (${run.engineGone}): recover it`);
   * ```
   */
  async activeRun(flow: string, timeperiod: string): Promise<ActiveRunRecord | null> {
    this.definition(flow);
    assertTimeperiod(timeperiod);
    const backend = await this.readable('read the runs in progress');
    return backend ? backend.history.activeOne(flow, timeperiod) : null;
  }

  /**
   * One run of the history, by its id (`FlowRunResult.runId`, every event's `runId`), with its attempts.
   *
   * @param runId the run's id
   * @returns the run, with its `attempts` in the order they started
   * @throws {@link ConfigurationError} `runId` is not a run id (14 base-36 characters)
   * @throws {@link RunNotFoundError} no run has that id (never ran here, or deleted after `history.keepDays`)
   * @example
   * ```ts
   * const { runId } = await app.run('daily_etl', { timeperiod: '2026112600' });
   * const run = await app.historyRun(runId);
   * console.log(run.state, run.attempts.map((a) => `${a.stepName}#${a.attempt} ${a.state}`));
   * ```
   */
  async historyRun(runId: string): Promise<FlowRunRecord> {
    if (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId)) {
      throw new ConfigurationError('historyRun()', [
        {
          path: 'runId',
          message: `must be a run id (14 base-36 characters, as history lists them), got ${JSON.stringify(runId) ?? String(runId)}`,
        },
      ]);
    }
    const backend = await this.readable('read the history');
    if (!backend) throw new RunNotFoundError(runId);
    return backend.history.find(runId);
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
    return [...this.parts.definitions.keys()];
  }

  /** Which database this application reads and writes, for a person: `better-sqlite3 '/srv/etl/synergy-flow.db'`; never a password. */
  describeDatabase(): string {
    return describeDatabase(this.parts.database);
  }

  /**
   * The validated definition of a flow (steps, options, actions).
   *
   * @param flow the flow's name
   * @returns the definition
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   */
  definition(flow: string): FlowDefinition {
    const definition = this.parts.definitions.get(flow);
    if (!definition) throw new UnknownFlowError(String(flow), this.flows());
    return definition;
  }

  /**
   * Cancels a running flow run of this application: its running steps see `ctx.signal` abort and end canceled.
   *
   * @param flow the flow's name
   * @param timeperiod the run's timeperiod
   * @param reason who or what cancelled it, in the canceled steps' error (default: `cancelled by app.cancel()`)
   * @returns whether it was running
   * @throws {@link UnknownFlowError} the flow is not one of this application's
   * @example
   * ```ts
   * const running = app.run('daily_etl', { timeperiod: '2026112600' });
   * app.cancel('daily_etl', '2026112600', 'cancelled by the on-call: the source is being re-exported');
   * console.log((await running).state); // 'invalid'
   * ```
   */
  cancel(flow: string, timeperiod: string, reason?: string): boolean {
    this.definition(flow);
    // No database open yet: nothing of this application runs.
    return this.backend?.engine.cancel(flow, timeperiod, reason) ?? false;
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
    const named = this.useAs('viewer');
    // A known secret from now on, checked or not: a flow's error, a log line or an error message that quotes it shows ***.
    this.parts.secrets.learn([(options as Partial<ServeOptions> | undefined)?.token]);
    // required here, not imported: applications that never serve do not load fastify (the one import
    // up a floor, allowed as a require: docs/architecture.md, "Lazy loading")
    const { startViewer } = require('./viewer') as typeof import('./viewer');
    return named.then(() => startViewer(this, options));
  }

  /**
   * A scheduler of this application's scheduled flows (`@Flow({ schedule })`, README "Scheduling"):
   * `tick(now?)` starts what is due, `start({ tickMs })` ticks until `stop()`, `pause`, `resume`,
   * `plan`. Its runs are this application's own `run` and `recover` (trigger `scheduler`); closing
   * the application stops it.
   *
   * @param options `clock`: where "now" comes from (default the system clock); `programName`: how users run
   * the command line (`node dist/main.js`), for the commands its hints name
   * @returns the scheduler
   * @throws {@link ConfigurationError} wrong options
   * @example
   * ```ts
   * const scheduler = app.scheduler();
   * const report = await scheduler.tick();
   * console.log(report.triggered.map((r) => `${r.flow} ${r.timeperiod}`));
   * ```
   */
  scheduler(options?: SchedulerOptions): Scheduler {
    // Not waited for: a connection the scheduler takes before its rename is renamed as it is taken.
    void this.useAs('scheduler');
    // required here, not imported: it loads TypeORM's entities, which `import 'synergy-flow'` does not pay for
    const { createScheduler } = require('./scheduler') as typeof import('./scheduler');
    const scheduler = createScheduler(
      {
        definitions: this.parts.definitions,
        run: (flow, runOptions) => this.run(flow, runOptions),
        recover: (flow, runOptions) => this.recover(flow, runOptions),
        scheduleStore: () => this.openScheduleStore(),
        // A plan or a pause read from a SQLite file that does not exist: nothing ran there, and no file is created.
        readableScheduleStore: async () => ((await this.readable('read a schedule')) ? this.openScheduleStore() : undefined),
      },
      options,
    );
    this.schedulers.add(scheduler);
    return scheduler;
  }

  private openScheduleStore(): Promise<ScheduleStore> {
    const { ScheduleStore } = require('./persistence/schedule/schedule-store') as typeof import('./persistence/schedule/schedule-store');
    this.scheduleStore ??= this.open('schedule').then((backend) => new ScheduleStore(backend.store));
    return this.scheduleStore;
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
    this.handleSignals = true;
    // The command line is the process: an error an action leaves unhandled, even after its run, is printed redacted and ends it.
    signalShutdown.guardUnhandledErrors(this.participant);
    (require('./engine/v8-pretenuring') as typeof import('./engine/v8-pretenuring')).disableAllocationSitePretenuring();
    // Before the command loads the database's modules: a process started by `node main.js <command>` is always cold.
    (require('./cli/compile-cache') as typeof import('./cli/compile-cache')).enableModuleCompileCache();
    // required here, not imported: applications that never use the CLI do not load commander and listr2
    const { runCli } = require('./cli/run-cli') as typeof import('./cli/run-cli');
    return runCli(this, argv, options);
  }

  /**
   * Whether the database answers now (it is opened if it was not; a SQLite file that does not exist
   * yet is reachable, the first run creates it), within 3 s, and how many runs are in flight: what
   * a health check (the viewer's `/healthz`) reports. It never throws.
   *
   * @returns `database: 'reachable' | 'unreachable'`, `runsInFlight`, this process's `instanceId`, and the `reason` when unreachable
   * @example
   * ```ts
   * const { database, runsInFlight } = await app.health();
   * ```
   */
  async health(): Promise<ApplicationHealth> {
    const runsInFlight = this.inFlight.size;
    const { instanceId } = thisProcess;
    try {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the database did not open within ${HEALTH_CHECK_TIMEOUT_MS} ms`)),
          HEALTH_CHECK_TIMEOUT_MS,
        );
      });
      const backend = await Promise.race([this.readable('check health'), late]).finally(() => clearTimeout(timer));
      if (backend) await pingDatabase(backend.dataSource, HEALTH_CHECK_TIMEOUT_MS);
      return { database: 'reachable', runsInFlight, instanceId };
    } catch (err) {
      return { database: 'unreachable', runsInFlight, instanceId, reason: this.logs.redact(describeError(err)) };
    }
  }

  /**
   * Cancels what runs, lets it record its states and terminate its clusters (within the grace period), then closes the
   * database and the log files. An application that handles SIGINT/SIGTERM itself (without `handleSignals`) calls it on shutdown.
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

  private shutDown(waitForRuns: boolean): Promise<void> {
    this.closing ??= this.closeNow(waitForRuns);
    return this.closing;
  }

  /** Each cleanup in its own try: one that fails does not keep the others from running; the first failure is thrown at the end. */
  private async closeNow(waitForRuns: boolean): Promise<void> {
    this.moveTo('closing');
    const failures: unknown[] = [];
    const attempt = async (cleanup: () => unknown) => {
      try {
        await cleanup();
      } catch (err) {
        failures.push(err);
      }
    };
    signalShutdown.forget(this.participant);
    for (const scheduler of this.schedulers) scheduler.halt();
    await attempt(() => this.backend?.engine.cancelAll('the application is closing'));
    if (waitForRuns) await settledWithin([...this.inFlight], this.parts.gracePeriodMs + TERMINATION_BUDGET_MS);
    // Before the database goes: the schedulers' claims of runs this close cut short say so.
    for (const scheduler of this.schedulers) await attempt(() => scheduler.recordInterrupted());
    await attempt(() => this.parts.events.complete());
    await attempt(() => this.logs.close());
    // An opening still under way finishes first, or its connection would outlive the application.
    const backend = this.backend ?? (await this.opening?.catch(() => undefined));
    await attempt(() => backend?.retention.stop());
    await attempt(async () => {
      if (backend?.dataSource.isInitialized) await backend.dataSource.destroy();
    });
    this.moveTo('closed');
    if (failures.length) throw failures[0];
  }
}

/** Waits until every promise has settled, at most `ms`. */
async function settledWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  if (!promises.length) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(promises), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** ConfigurationError naming `operation`'s option `path` unless `value` is a Date of a real instant. */
function assertValidDate(operation: string, path: string, value: unknown): asserts value is Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return;
  throw new ConfigurationError(operation, [
    { path, message: `must be a valid Date, got ${inspect(value, { depth: 0, breakLength: Infinity })}` },
  ]);
}
