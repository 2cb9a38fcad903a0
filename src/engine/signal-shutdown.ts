import { DEFAULT_GRACE_PERIOD_MS, TERMINATION_BUDGET_MS } from './grace-period';
import { unhandledErrorReport, type UnhandledOrigin } from './unhandled-error.report';

/** What a signal asks of an application that has runs in flight. */
export interface ShutdownParticipant {
  readonly gracePeriodMs: number;
  /** Aborts every run in flight: no new step starts, running actions see their signal abort. */
  /** `byFailure`: the stop comes from an error, not from a signal someone sent. */
  cancelAll(reason: string, byFailure?: boolean): void;
  /** Records, for runs that did not stop in time, what they could not: no step left in_progress. */
  abandonAll(reason: string): Promise<void>;
  /** Closes the database and the log files; after a forced stop, without waiting for the runs. */
  close(waitForRuns: boolean): Promise<void>;
  /** Masks the application's known secrets: an unhandled error is printed through it. */
  readonly redact: (text: string) => string;
}

const EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };
/** A run cut short by an unhandled error ends invalid: the code of a failed run, and Node's own for such a crash. */
const UNHANDLED_ERROR_EXIT_CODE = 1;
/** Per participant, for the best-effort writes and the close of a forced shutdown. */
const FORCED_STEP_BUDGET_MS = 3_000;

/**
 * SIGINT/SIGTERM handling for the whole process, installed only while some run is in flight (the
 * process's default behaviour is left alone otherwise). On a signal: every run is cancelled, the
 * runs get their grace period to stop and record their states, clusters are terminated, every
 * application is closed and the process exits 130 (SIGINT) or 143 (SIGTERM). A second signal, or
 * runs that still have not ended TERMINATION_BUDGET_MS after the grace period, force the exit
 * (in_progress rows are recorded canceled first).
 *
 * An uncaught exception or an unhandled rejection (an action's stray timer that throws, a promise
 * it never awaited) takes the same path, exit code 1, while the handlers are installed: Node would
 * print it with the secrets it quotes and exit at once, leaving the run's steps in_progress and its
 * lease held. It is printed redacted by every application's redactor and inert for the terminal,
 * never dropped. An event that another listener also handles (the embedding program's own policy,
 * a test runner's) is left to that listener.
 *
 * One coordinator per process, not per application: two applications must not race each other
 * to process.exit while the other still winds down.
 */
export class SignalShutdown {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly participants = new Set<ShutdownParticipant>();
  /** Kept after an application closes: its secrets are still secrets in an error that comes later. */
  private readonly redactors = new Set<(text: string) => string>();
  private installed = false;
  /** The CLI keeps the unhandled-error handlers for the whole process: a stray timer may fire after the run. */
  private guarding = false;
  private stopping?: Promise<never>;
  private force?: () => void;

  /**
   * Watches one run. The returned promise settles like `run`, except once a shutdown has begun:
   * then it never settles, so the caller cannot go on (print, exit with another code) while the
   * process winds down to its 130/143 exit.
   */
  track<T>(participant: ShutdownParticipant, run: Promise<T>): Promise<T> {
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.participants.add(participant);
    this.redactors.add(participant.redact);
    this.inFlight.add(settled);
    this.install();
    void settled.then(() => {
      this.inFlight.delete(settled);
      if (this.inFlight.size === 0 && !this.stopping) this.uninstall();
    });
    return run.then(
      (value) => this.stopping ?? value,
      (err: unknown) => this.stopping ?? Promise.reject(err),
    );
  }

  /**
   * From now until the process exits, an unhandled error is printed redacted and ends the process
   * through the shutdown path, whether a run is in flight or not (SIGINT/SIGTERM are still
   * handled only while one is: the CLI's long-running commands handle them themselves).
   */
  guardUnhandledErrors(participant: ShutdownParticipant): void {
    this.participants.add(participant);
    this.redactors.add(participant.redact);
    if (this.guarding) return;
    this.guarding = true;
    if (!this.installed) this.watchUnhandledErrors(true);
  }

  /** An application that closed has nothing left for a signal to stop. */
  forget(participant: ShutdownParticipant): void {
    this.participants.delete(participant);
  }

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (this.stopping) {
      this.force?.();
      return;
    }
    this.stopping = this.stop(`${signal} received`, EXIT_CODES[signal] ?? 1, `(send ${signal} again to stop at once)`);
  };

  private readonly onUncaughtException = (error: unknown): void => this.onUnhandled(error, 'uncaughtException');
  private readonly onUnhandledRejection = (error: unknown): void => this.onUnhandled(error, 'unhandledRejection');

  private onUnhandled(error: unknown, origin: UnhandledOrigin): void {
    // Ours is not the only listener: the program has its own policy for these errors (or a test runner does).
    if (process.listenerCount(origin) > 1) return;
    // Node raises an unhandled rejection as an uncaught exception, which the program handles itself: so
    // does this (listening to the rejections must not swallow one its uncaughtException handler expects).
    if (origin === 'unhandledRejection' && process.listenerCount('uncaughtException') > 1) throw error;
    process.stderr.write(unhandledErrorReport(error, origin, [...this.redactors], Boolean(this.stopping)));
    this.stopping ??= this.stop('an action left an unhandled error', UNHANDLED_ERROR_EXIT_CODE, '(send SIGINT to stop at once)', true);
  }

  private install(): void {
    if (this.installed) return;
    this.installed = true;
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    if (!this.guarding) this.watchUnhandledErrors(true);
  }

  private uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    if (!this.guarding) this.watchUnhandledErrors(false);
  }

  private watchUnhandledErrors(on: boolean): void {
    if (on) {
      process.on('uncaughtException', this.onUncaughtException);
      process.on('unhandledRejection', this.onUnhandledRejection);
    } else {
      process.off('uncaughtException', this.onUncaughtException);
      process.off('unhandledRejection', this.onUnhandledRejection);
    }
  }

  /** Cancels every run, waits for them within their grace period, closes every application, exits `code`. */
  private async stop(reason: string, code: number, howToForce: string, byFailure = false): Promise<never> {
    process.exitCode = code;
    const participants = [...this.participants];
    const graceMs = Math.max(0, ...participants.map((p) => p.gracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS));
    if (this.inFlight.size > 0)
      process.stderr.write(
        `synergy-flow: ${reason}: cancelling ${this.inFlight.size} flow run(s), waiting up to ${graceMs} ms for their steps to stop ${howToForce}\n`,
      );
    for (const participant of participants) participant.cancelAll(reason, byFailure);

    let timer: NodeJS.Timeout | undefined;
    const forced = new Promise<boolean>((resolve) => {
      this.force = () => resolve(true);
      timer = setTimeout(() => resolve(true), graceMs + TERMINATION_BUDGET_MS);
    });
    const ended = Promise.all([...this.inFlight]).then(() => false);
    const wasForced = await Promise.race([ended, forced]);
    clearTimeout(timer);
    if (wasForced) {
      process.stderr.write(`synergy-flow: stopping at once; steps still running are recorded canceled\n`);
      await Promise.all(
        participants.map((p) => within(p.abandonAll(`${reason}, the engine stopped before the step did`), FORCED_STEP_BUDGET_MS)),
      );
    }
    await Promise.all(participants.map((p) => within(p.close(!wasForced), wasForced ? FORCED_STEP_BUDGET_MS : TERMINATION_BUDGET_MS)));
    process.exit(code);
  }
}

/** Waits for `work`, at most `ms`; a failure is ignored (the process is exiting anyway). */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** The process's coordinator: every application registers its runs here. */
export const signalShutdown = new SignalShutdown();
