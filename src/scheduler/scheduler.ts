import { randomUUID } from 'node:crypto';
import { parseOptions } from '../config/parse-options';
import type { Clock } from '../domain/clock.port';
import { FlowState } from '../domain/states';
import { SchedulerStoppedError, UnknownFlowError, UnscheduledFlowError } from '../errors';
import type { FlowRunResult } from '../engine/run-options';
import type { FlowDefinition } from '../metadata/flow-definition';
import type { ScheduleStore } from '../persistence/schedule/schedule-store';
import { thisProcess } from '../persistence/lease/process-identity';
import { nextSliceAfter } from './unread-slice';
import { decideFlow, readFlows, type FlowDecision, type FlowRead, type Launch } from './flow-decision';
import { dueAt, lastDuePeriod } from './due-periods';
import { recordSchedulerLag } from '../telemetry/scheduler-lag';
import { nextTimeperiod } from '../timeperiod/timeperiod';
import { INTERRUPTED_OUTCOME, outcomeOf } from './interrupted-run';
import { liveSchedulers, type ClaimKey } from './live-schedulers';
import { inSchedulerWords } from './outage-advice';
import type { HandCommands } from './hand-commands';
import { countFrom, nextMark } from './period-mark';
import { planFlow, planUnrun } from './flow-plan';
import { unscheduledUpstreamWarnings } from './unscheduled-upstream';
import type { SchedulerHost } from './scheduler-host.port';
import {
  DEFAULT_TICK_MS,
  planOptionsSchema,
  schedulerStartOptionsSchema,
  type PlannedPeriod,
  type PlanOptions,
  type SchedulerStartOptions,
} from './scheduler-options';
import type { TickReport, TriggeredRun } from './tick-report';

/** Thrown inside a claim's transaction to withdraw it: the period changed between the decision and the claim. */
class ClaimWithdrawn extends Error {}

/**
 * Runs the application's scheduled flows (`@Flow({ schedule })`) timeperiod after timeperiod:
 * each period once it is due, missed ones oldest first, within each flow's maxActiveRuns, failed
 * ones retried as its onFailure says, each only once its `after` flows processed what covers it.
 * Several schedulers (processes, machines) on one database never start a run twice: each run is
 * claimed first, by a row whose key is [flow, timeperiod, attempt].
 *
 * @example
 * ```ts
 * const scheduler = app.scheduler();
 * scheduler.start({ tickMs: 60_000 });
 * process.once('SIGTERM', () => void scheduler.stop().then(() => app.close()));
 * ```
 */
export class Scheduler {
  /** This scheduler's id on its claims, so a live one is told from a dead one. */
  private readonly holderId = randomUUID();
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** The tick deciding now (one at a time). */
  private deciding: Promise<unknown> = Promise.resolve();
  /** The runs this scheduler started that have not ended. */
  private readonly runs = new Set<Promise<void>>();
  /** Per flow, where the next tick's slice of unfinished periods between the oldest and newest it reads begins (after). */
  private readonly unreadSliceAfter = new Map<string, string>();
  /** Their claims, until their end is recorded, with the outcome once the run has given it. */
  private readonly claimsInFlight = new Map<ClaimKey, string | undefined>();
  private stopping: Promise<void> | undefined;
  /** `start()`'s `onRunEnd`: told of each run's end, once its claim records it. */
  private onRunEnd: ((run: TriggeredRun) => void) | undefined;

  /** @internal `app.scheduler()` is the factory. */
  constructor(
    private readonly host: SchedulerHost,
    private readonly clock: Clock,
    /** What its messages tell a person to do by hand, in the words of the command line they run (when known). */
    private readonly hints: HandCommands,
  ) {
    liveSchedulers.add(this.holderId);
  }

  /**
   * Starts every run due at `now` (default: the clock's time) exactly once, across every scheduler
   * on the database, and resolves once those runs have ended. Call it again until `triggered` is
   * empty to drive a catch-up to its end.
   *
   * @param now the instant to decide at; default the scheduler's clock. Given, it is also when the
   * runs it starts count as ended for retry delays, so a spec's fake timeline stays its own.
   * @returns the runs it started (with their results), the due periods that wait and why, and those it skipped
   * @throws {@link SchedulerStoppedError} after `stop()`
   * @example
   * ```ts
   * const report = await scheduler.tick(new Date('2026-01-02T00:00:00Z'));
   * for (const run of report.triggered) console.log(run.flow, run.timeperiod, run.result?.state);
   * for (const wait of report.waiting) console.log(wait.flow, wait.timeperiod, wait.reason, wait.message);
   * ```
   */
  async tick(now?: Date): Promise<TickReport> {
    if (this.stopped) throw new SchedulerStoppedError('tick');
    const { report, runs } = await this.decideInTurn(now ?? this.clock.now(), now !== undefined);
    await Promise.all(runs);
    return report;
  }

  /**
   * Ticks every `tickMs` until `stop()`, without waiting for the runs it starts (they overlap later ticks).
   *
   * @param options `tickMs` (default 60 000), `onTick` (each report, as its runs start), `onRunEnd`
   * (each run it started, once ended: its `result` or `error`), `onError` (a failed tick)
   * @throws {@link SchedulerStoppedError} after `stop()`
   * @throws {@link ConfigurationError} wrong options
   * @example
   * ```ts
   * scheduler.start({ tickMs: 30_000, onTick: (r) => r.triggered.forEach((t) => console.log('started', t.flow, t.timeperiod)) });
   * ```
   */
  start(options: SchedulerStartOptions = {}): void {
    if (this.stopped) throw new SchedulerStoppedError('start');
    const {
      tickMs = DEFAULT_TICK_MS,
      onTick,
      onRunEnd,
      onError,
    } = parseOptions(schedulerStartOptionsSchema, options, 'scheduler.start() options');
    if (this.timer) return;
    this.onRunEnd = onRunEnd;
    let checkedLinks = false;
    const loop = async () => {
      if (this.stopped) return;
      try {
        if (!checkedLinks) {
          // Once per start: a flow that would wait for ever for its `after` flow is said aloud, not found a month later.
          for (const warning of await this.unscheduledUpstreams()) process.emitWarning(warning, 'SynergyFlowWarning');
          checkedLinks = true;
        }
        const { report } = await this.decideInTurn(this.clock.now(), false);
        onTick?.(report);
      } catch (caught) {
        const err = inSchedulerWords(caught, 'tick');
        if (onError) onError(err);
        else process.emitWarning(`synergy-flow scheduler: a tick failed: ${(err as Error)?.message ?? String(err)}`);
      }
      if (!this.stopped) this.timer = setTimeout(() => void loop(), tickMs);
    };
    this.timer = setTimeout(() => void loop(), 0);
  }

  /**
   * Which scheduled flows' first periods wait for `after` flow periods that come before that
   * flow's schedule start, which no scheduler runs (unless they were processed by hand already):
   * one message per such pair of flows, naming both, the periods and what to do.
   */
  private async unscheduledUpstreams(): Promise<string[]> {
    if (!this.scheduledFlows().some((definition) => definition.schedule!.after.length)) return [];
    const store = await this.host.scheduleStore();
    return store.transaction((m) => unscheduledUpstreamWarnings(m, store, this.host.definitions, this.hints));
  }

  /**
   * Stops ticking and resolves once the runs it started have ended. Its claims are then judged
   * dead by the other schedulers, which is what they should be.
   *
   * @returns once the runs have ended; calling it again returns the same promise
   * @example
   * ```ts
   * await scheduler.stop();
   * await app.close();
   * ```
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      clearTimeout(this.timer);
      await this.deciding.catch(() => undefined);
      while (this.runs.size) await Promise.all([...this.runs]);
      liveSchedulers.delete(this.holderId);
    })();
    return this.stopping;
  }

  /**
   * @internal The application closes on a signal, its runs cut short: each claim still open here
   * records `interrupted` (or `processed`, for a run that got to its end), so the next scheduler
   * resumes the period without counting a failure. A signal's shutdown never lets the runs' own
   * ends reach the scheduler, so it is done here, while the database is still open.
   */
  async recordInterrupted(): Promise<void> {
    if (!this.claimsInFlight.size) return;
    const store = await this.host.scheduleStore();
    const finishedAt = this.clock.now().getTime();
    for (const [key, known] of [...this.claimsInFlight]) {
      await store
        .transaction(async (m) => {
          // The run's own outcome when it got one (its finish may not have been written yet).
          const state = known === undefined ? await store.stateOf(m, key.flowName, key.timeperiod) : undefined;
          const done = state === FlowState.PROCESSED || state === FlowState.NOOP;
          await store.finish(m, key, finishedAt, known ?? (done ? state : INTERRUPTED_OUTCOME));
        })
        .catch(() => undefined);
    }
  }

  /** @internal The application closes: no new run; the runs in flight are the application's to wind down. */
  halt(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    // Its claims read as dead once its runs have ended (the application lets them record their states first).
    void Promise.allSettled([...this.runs]).then(() => liveSchedulers.delete(this.holderId));
  }

  /**
   * Pauses a flow's schedule for every scheduler on the database (a row of `schedule_pause`, kept
   * across restarts): no new run, retry or takeover of it starts until `resume`. Runs in flight go on.
   *
   * @param flow the flow's name
   * @throws {@link UnknownFlowError} no such flow
   * @throws {@link UnscheduledFlowError} the flow has no schedule
   * @example
   * ```ts
   * await scheduler.pause('daily_rollup');
   * ```
   */
  async pause(flow: string): Promise<void> {
    this.scheduled(flow, 'pause');
    const store = await this.host.scheduleStore();
    await store.transaction((m) => store.pause(m, flow, this.clock.now().getTime()));
  }

  /**
   * Resumes a paused flow: the next tick catches up what came due meanwhile.
   *
   * @param flow the flow's name
   * @throws {@link UnknownFlowError} no such flow
   * @throws {@link UnscheduledFlowError} the flow has no schedule
   * @example
   * ```ts
   * await scheduler.resume('daily_rollup');
   * ```
   */
  async resume(flow: string): Promise<void> {
    this.scheduled(flow, 'resume');
    const store = await this.host.scheduleStore();
    await store.transaction((m) => store.resume(m, flow));
  }

  /**
   * Whether a flow's schedule is paused.
   *
   * @param flow the flow's name
   * @throws {@link UnknownFlowError} no such flow
   * @throws {@link UnscheduledFlowError} the flow has no schedule
   */
  async isPaused(flow: string): Promise<boolean> {
    this.scheduled(flow, 'read the pause of');
    const store = await this.host.readableScheduleStore();
    return store ? (await store.transaction((m) => store.pausedFlows(m))).has(flow) : false;
  }

  /**
   * The flow's next periods, oldest first: the ones running, failed (awaiting a retry, or without
   * one left), due, then those to come, each with when it is due.
   *
   * @param flow the flow's name
   * @param options `limit` (default 10), `now` (default the clock's)
   * @returns the periods
   * @throws {@link UnknownFlowError} no such flow
   * @throws {@link UnscheduledFlowError} the flow has no schedule
   * @example
   * ```ts
   * for (const p of await scheduler.plan('hourly_ingest', { limit: 3 })) console.log(p.timeperiod, p.status, p.dueAt.toISOString());
   * ```
   */
  async plan(flow: string, options: PlanOptions = {}): Promise<PlannedPeriod[]> {
    const definition = this.scheduled(flow, 'plan');
    const { limit = 10, now = this.clock.now() } = parseOptions(planOptionsSchema, options, 'scheduler.plan() options');
    const store = await this.host.readableScheduleStore();
    if (!store) return planUnrun(definition, this.host.definitions, now, limit, this.hints);
    return store.transaction((m) => planFlow(m, store, definition, this.host.definitions, now, limit, this.hints));
  }

  /** The scheduled flows, upstream ones (`after`) first, so that one tick sees what their runs left. */
  private scheduledFlows(): FlowDefinition[] {
    const ordered = new Set<FlowDefinition>();
    const visit = (definition: FlowDefinition) => {
      if (ordered.has(definition)) return;
      // bootstrap() refused cycles of `after`: this ends.
      for (const name of definition.schedule?.after ?? []) visit(this.host.definitions.get(name)!);
      ordered.add(definition);
    };
    for (const definition of this.host.definitions.values()) visit(definition);
    return [...ordered].filter((d) => d.schedule);
  }

  private scheduled(flow: string, operation: string): FlowDefinition {
    const definition = this.host.definitions.get(flow);
    if (!definition) throw new UnknownFlowError(String(flow), [...this.host.definitions.keys()]);
    if (!definition.schedule)
      throw new UnscheduledFlowError(
        flow,
        operation,
        this.scheduledFlows().map((d) => d.name),
      );
    return definition;
  }

  /** One tick's decisions at a time in this scheduler: a slow tick is not overtaken by the next. */
  private decideInTurn(now: Date, pinned: boolean): Promise<{ report: TickReport; runs: Promise<void>[] }> {
    const turn = this.deciding.catch(() => undefined).then(() => this.decide(now, pinned));
    this.deciding = turn;
    return turn;
  }

  /** `pinned`: the caller gave `now` (tick(now)), and the runs it starts end at that instant as far as retry delays go. */
  private async decide(now: Date, pinned: boolean): Promise<{ report: TickReport; runs: Promise<void>[] }> {
    const report: TickReport = { at: now, triggered: [], waiting: [], skipped: [] };
    const runs: Promise<void>[] = [];
    const flows = this.scheduledFlows();
    if (!flows.length) return { report, runs };
    const store = await this.host.scheduleStore();
    const due = flows.flatMap((definition) => {
      const lastDue = lastDuePeriod(now, definition.schedule!);
      return lastDue ? [{ definition, lastDue }] : [];
    });
    // Every read and decision of the tick in one transaction: one state of the database (see readFlows for the order).
    const decisions = await store.transaction(async (m) => {
      const paused = await store.pausedFlows(m);
      // The marks before the counts: a flow row deleted after this read moves its mark's version on, and the write below misses.
      const marks = await store.marks(
        m,
        due.map(({ definition }) => definition.name),
      );
      const reads: FlowRead[] = due.map(({ definition, lastDue }) => {
        const counted = countFrom(marks.get(definition.name), definition.schedule!);
        return { definition, lastDue, from: counted.from, counted };
      });
      const views = await readFlows(m, store, reads, this.unreadSliceAfter);
      for (const { definition, lastDue, counted } of reads) {
        const schedule = definition.schedule!;
        // Nothing without a row up to lastDue: the next count starts after it.
        const frontier =
          views.get(definition.name)!.newPeriods[0] ??
          (lastDue.startsWith('9999') ? lastDue : nextTimeperiod(lastDue, schedule.granularity));
        const read = marks.get(definition.name);
        const mark = nextMark(definition.name, schedule, read, counted, frontier);
        if (mark) await store.writeMark(m, mark, read?.version);
      }
      const decided: Array<[FlowRead, FlowDecision]> = [];
      for (const read of reads) {
        const { definition } = read;
        const upstreams = definition.schedule!.after.map((name) => this.host.definitions.get(name)!);
        const view = views.get(definition.name)!;
        const decision = await decideFlow(m, store, definition, view, upstreams, now, paused.has(definition.name), this.hints);
        decided.push([read, decision]);
        // The next tick reads the next slice of a backlog too long to read at once.
        const next = nextSliceAfter(view, decision, this.unreadSliceAfter.get(definition.name));
        if (next) this.unreadSliceAfter.set(definition.name, next);
        else this.unreadSliceAfter.delete(definition.name);
      }
      return { decided };
    });
    for (const [read, decision] of decisions.decided) {
      if (this.stopped) break;
      report.waiting.push(...decision.waiting);
      report.skipped.push(...decision.skipped);
      for (const { claim, outcome } of decision.ended) {
        await store.transaction((m) => store.finish(m, claim, now.getTime(), outcome));
      }
      for (const launch of decision.launches) {
        if (this.stopped) break;
        const key: ClaimKey = { flowName: launch.flow, timeperiod: launch.timeperiod, attempt: launch.attempt };
        // In flight before it is committed: another scheduler of this process that reads it then must not judge it dead.
        liveSchedulers.claimStarted(this.holderId, key);
        let won = false;
        try {
          won = await this.claim(store, launch, now);
        } finally {
          if (!won) liveSchedulers.claimEnded(this.holderId, key);
        }
        if (!won) {
          report.skipped.push({
            flow: launch.flow,
            timeperiod: launch.timeperiod,
            reason: 'claimed-elsewhere',
            message: `another scheduler claimed attempt ${launch.attempt} first`,
          });
          continue;
        }
        const entry: TriggeredRun = {
          flow: launch.flow,
          timeperiod: launch.timeperiod,
          reason: launch.reason,
          message: launch.message,
          mode: launch.mode,
          attempt: launch.attempt,
        };
        report.triggered.push(entry);
        const clockNow = () => (pinned ? now : this.clock.now());
        // How late the period's first run starts after it was due (a retry waits retryDelayMs by design: not lag).
        if (launch.reason === 'due')
          recordSchedulerLag(launch.flow, clockNow().getTime() - dueAt(launch.timeperiod, read.definition.schedule!).getTime());
        runs.push(this.launch(store, launch, key, entry, clockNow));
      }
    }
    return { report, runs };
  }

  /** Inserts the launch's claim; true if it went in and the period is still as decided, so this scheduler starts the run. */
  private async claim(store: ScheduleStore, launch: Launch, now: Date): Promise<boolean> {
    try {
      return await store.transaction(async (m) => {
        const won = await store.claim(m, {
          flowName: launch.flow,
          timeperiod: launch.timeperiod,
          attempt: launch.attempt,
          kind: launch.kind,
          holderId: this.holderId,
          ...thisProcess,
        });
        if (!won) return false;
        // Decided on a state read before: a run that started or ended since makes this claim wrong.
        if ((await store.stateOf(m, launch.flow, launch.timeperiod)) !== launch.expect) throw new ClaimWithdrawn();
        if (launch.replaces) await store.finish(m, launch.replaces, now.getTime(), 'abandoned');
        return true;
      });
    } catch (err) {
      if (err instanceof ClaimWithdrawn) return false;
      throw err;
    }
  }

  /** A listener that throws must not leave the run's promise rejected: stop() and close() wait on it. */
  private tellRunEnded(entry: TriggeredRun): void {
    try {
      this.onRunEnd?.(entry);
    } catch (err) {
      process.emitWarning(`synergy-flow scheduler: onRunEnd threw: ${(err as Error)?.message ?? String(err)}`, 'SynergyFlowWarning');
    }
  }

  /** Starts the claimed run through the application, and records its end on the claim. */
  private launch(store: ScheduleStore, launch: Launch, key: ClaimKey, entry: TriggeredRun, endedAt: () => Date): Promise<void> {
    const method = launch.mode === 'run' ? this.host.run.bind(this.host) : this.host.recover.bind(this.host);
    // The claim was checked against the period's state, but the run takes its lease only now: another
    // engine may have run the period in between; checked again under the lease (FlowStateChangedError).
    const run = method(launch.flow, { timeperiod: launch.timeperiod, trigger: 'scheduler', expectedState: launch.expect ?? null })
      .then(
        (result: FlowRunResult) => {
          entry.result = result;
          return outcomeOf(result, this.stopped);
        },
        (caught: unknown) => {
          const err = inSchedulerWords(caught, 'run');
          entry.error = (err as Error)?.message ?? String(err);
          return 'error';
        },
      )
      .then(async (outcome) => {
        if (this.claimsInFlight.has(key)) this.claimsInFlight.set(key, outcome);
        // The end by the scheduler's clock: a retry is due retryDelayMs after it.
        const finishedAt = endedAt().getTime();
        // A finish that cannot be written (the database is down) leaves the claim open: no longer in
        // flight here, the next tick finds it dead, and records its end or takes the period over.
        await store.transaction((m) => store.finish(m, key, finishedAt, outcome)).catch(() => undefined);
        this.claimsInFlight.delete(key);
        liveSchedulers.claimEnded(this.holderId, key);
        this.tellRunEnded(entry);
      });
    this.claimsInFlight.set(key, undefined);
    this.runs.add(run);
    void run.finally(() => this.runs.delete(run));
    return run;
  }
}
