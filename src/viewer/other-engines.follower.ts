import { Subject, type Observable } from 'rxjs';
import { describeError } from '../engine/describe-error';
import type { FlowEvent } from '../domain/flow-event';
import type { ActiveRunRecord } from '../domain/flow-run-record';
import { FlowState } from '../domain/states';
import type { FlowApplication } from '../flow-application.port';

/**
 * How far back each poll looks for runs that ended: a run that started and ended between two polls
 * is still found, and so is one whose engine's clock (which stamps finished_at) runs behind this one's.
 */
const ENDED_LOOKBACK_MS = 60_000;
/**
 * A run already told is read again only for its steps whose start or end was stamped since its last
 * read, less this allowance for the other engine's clock (it stamps them) and for commits that land
 * after their stamp; all its steps are read again this often, so that a clock further behind still
 * has every change told, that much late at worst. A 10,000-step run: 3 ms a poll instead of 20.
 */
const STEP_CLOCK_ALLOWANCE_MS = 60_000;
const FULL_READ_EVERY_MS = 60_000;

/** What the page was last told of a run: its state, each step's state and attempt, and whether its engine is dead. */
interface Told {
  state: FlowState;
  steps: Map<string, string>;
  engineGone: string | null;
  /** When (this clock) its steps were last read, and last read in full. */
  readAt: number;
  fullAt: number;
}

export interface OtherEnginesFollowerOptions {
  /** How often the database is read while someone listens; 0: never. */
  pollMs: number;
  /** Whether anyone listens now (an event stream is open): with no one, nothing is read. */
  listening: () => boolean;
}

/**
 * The runs of other engines sharing the database (a scheduler process, a CLI run, another server)
 * emit their events in their own process only. While a page listens, this reads the database every
 * `pollMs` (the runs in progress or just ended, then each one's steps that moved, all through indexes)
 * and emits what changed as flow and step events, so that the page follows those runs live, a poll
 * behind. This process's own runs are left out: they emit their own events, as they happen.
 */
export class OtherEnginesFollower {
  private readonly subject = new Subject<FlowEvent>();
  readonly events$: Observable<FlowEvent> = this.subject.asObservable();
  private readonly told = new Map<string, Told>();
  /** Runs whose end was told, until they leave the lookback window. */
  private readonly ended = new Set<string>();
  private ownInstanceId: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;
  /** When the reads began to fail (performance.now()), while they fail: an outage is logged once, not once per poll. */
  private failingSince: number | undefined;

  constructor(
    private readonly app: FlowApplication,
    private readonly options: OtherEnginesFollowerOptions,
  ) {}

  start(): void {
    if (this.options.pollMs > 0) this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.polling;
    this.subject.complete();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      // A failed read (the database away for a moment) is tried again at the next poll.
      this.polling = this.poll()
        .then(
          () => this.readsWork(),
          (err: unknown) => this.readsFail(err),
        )
        .finally(() => this.schedule());
    }, this.options.pollMs);
    // A viewer left open must not keep a process alive that is done otherwise.
    this.timer.unref();
  }

  /** One line when the reads begin to fail: a database restart must not fill the log with a line per poll. */
  private readsFail(err: unknown): void {
    if (this.failingSince !== undefined || this.closed) return;
    this.failingSince = performance.now();
    const why = this.app.logs.redact(describeError(err));
    console.error(
      `synergy-flow viewer: cannot read the runs of other engines (${why}); will try again every ${this.options.pollMs} ms, and say when it works again`,
    );
  }

  private readsWork(): void {
    if (this.failingSince === undefined) return;
    const seconds = ((performance.now() - this.failingSince) / 1000).toFixed(1);
    this.failingSince = undefined;
    console.error(`synergy-flow viewer: the runs of other engines followed again, after ${seconds} s without`);
  }

  private async poll(): Promise<void> {
    if (!this.options.listening()) {
      // No one to tell: the next listener is told each run anew (its page reads them afresh anyway).
      this.told.clear();
      this.ended.clear();
      return;
    }
    this.ownInstanceId ??= (await this.app.health()).instanceId;
    const runs = await this.app.activeRuns({ endedSince: new Date(Date.now() - ENDED_LOOKBACK_MS) });
    const seen = new Set<string>();
    for (const run of runs) {
      if (run.instanceId === this.ownInstanceId) continue;
      seen.add(run.runId);
      if (!this.ended.has(run.runId)) await this.follow(run);
      if (this.closed) return;
    }
    // Told in progress, and now neither in progress nor ended within the lookback: its engine's
    // clock is that far behind; its end is read from its own record.
    for (const runId of this.told.keys()) {
      if (seen.has(runId)) continue;
      const run = await this.app.historyRun(runId).catch(() => undefined);
      if (run) await this.follow({ ...run, engineGone: null });
      this.told.delete(runId);
    }
    for (const runId of this.ended) if (!seen.has(runId)) this.ended.delete(runId);
  }

  /**
   * Emits what changed in the run since the page was last told: its start, its steps, then its end.
   * A run whose engine is dead is told so once, with its steps as they were left; its steps are
   * not read again until it ends (`recover` or a later run closes it) or its engine shows it lives.
   */
  private async follow(run: ActiveRunRecord): Promise<void> {
    const told = this.told.get(run.runId);
    if (run.engineGone !== null && told && told.engineGone !== null) return;
    const running = run.state === FlowState.IN_PROGRESS;
    const engineGone = running ? run.engineGone : null;
    const gone = engineGone !== null;
    // Alive again (a process that was stopped, then continued): told as a start, which redraws its steps afresh.
    const revived = running && !gone && told !== undefined && told.engineGone !== null;
    const toldSteps = revived ? undefined : told?.steps;
    const readAt = Date.now();
    // Told before and read in full lately: only its steps that moved; its end, once, in full.
    const sinceRead = told && !revived && running && readAt - told.fullAt < FULL_READ_EVERY_MS ? told : undefined;
    const changedSince = sinceRead && new Date(sinceRead.readAt - STEP_CLOCK_ALLOWANCE_MS);
    const rows = await this.app.stepStates(run.flowName, [run.timeperiod], { changedSince });
    const base = { flowName: run.flowName, timeperiod: run.timeperiod, runId: run.runId, at: Date.now() };
    const events: FlowEvent[] = [];
    const flowEvent: FlowEvent = { type: 'flow', ...base, state: run.state, runMode: run.runMode, ...(gone && { engineGone }) };
    if (running && !gone && (told?.state !== run.state || revived)) events.push(flowEvent);
    const steps = new Map<string, string>(sinceRead?.steps);
    for (const row of rows) {
      const now = `${row.state} ${row.attempt}`;
      steps.set(row.stepName, now);
      if (toldSteps ? toldSteps.get(row.stepName) === now : row.state === 'embryo') continue;
      events.push({ type: 'step', ...base, stepName: row.stepName, state: row.state, attempt: row.attempt });
    }
    // After its steps: the page is told the steps as the dead engine left them, then that it is left.
    if (!running || gone) events.push(flowEvent);
    if (running) this.told.set(run.runId, { state: run.state, steps, engineGone, readAt, fullAt: sinceRead?.fullAt ?? readAt });
    else {
      this.told.delete(run.runId);
      this.ended.add(run.runId);
    }
    for (const event of events) this.subject.next(event);
  }
}
