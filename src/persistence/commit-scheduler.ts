/** A transaction waiting for its turn, or running. */
interface Flight {
  /** The rows it writes (table and primary key), if it may run beside others; undefined: it runs alone. */
  readonly rows: ReadonlySet<string> | undefined;
  /** Lets it start. */
  start: () => void;
  /** Settles once it has ended, whatever its outcome. */
  ended: Promise<void>;
}

/**
 * When a StateWriter's transactions run. A transaction that names the rows it writes may start
 * while up to `limit() - 1` others run, provided none of those rows is written by a transaction
 * still running or by an earlier one still waiting: per row, transactions run in the order they
 * were scheduled. A transaction that names no rows (a write given as code, `exclusive` work) runs
 * alone: after every earlier one has ended, and before any later one starts. With a limit of 1,
 * every transaction runs alone, one after the other (SQLite's single connection).
 */
export class CommitScheduler {
  private readonly waiting: Flight[] = [];
  private readonly running = new Set<Flight>();
  /** The rows of the running transactions: never written by two of them at once. */
  private readonly busy = new Set<string>();
  /** Running now: a transaction that runs alone. */
  private alone = false;

  constructor(private readonly limit: () => number) {}

  /** Runs `work` once its turn has come (see the class); resolves or rejects as it does. */
  run<T>(rows: ReadonlySet<string> | undefined, work: () => Promise<T>): Promise<T> {
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const result = started.then(work);
    const flight: Flight = { rows, start, ended: undefined as unknown as Promise<void> };
    flight.ended = result.then(
      () => this.end(flight),
      () => this.end(flight),
    );
    this.waiting.push(flight);
    this.pump();
    return result;
  }

  /** Resolves once every transaction scheduled so far has ended. */
  async idle(): Promise<void> {
    const pending = [...this.running, ...this.waiting];
    if (pending.length) await Promise.all(pending.map((flight) => flight.ended));
  }

  /** How many run now (for the specs and the profile). */
  get inFlight(): number {
    return this.running.size;
  }

  private end(flight: Flight): void {
    this.running.delete(flight);
    if (flight.rows) for (const row of flight.rows) this.busy.delete(row);
    else this.alone = false;
    this.pump();
  }

  /** Starts, in order, every waiting transaction whose turn has come. */
  private pump(): void {
    if (this.alone) return;
    const limit = Math.max(1, this.limit());
    // The rows of the waiting transactions passed over: a later one that writes one of them waits too.
    let passedOver: Set<string> | undefined;
    for (let i = 0; i < this.waiting.length && this.running.size < limit;) {
      const flight = this.waiting[i];
      if (!flight.rows || limit === 1) {
        // Alone: only once everything before it has ended; nothing after it starts before it.
        if (i > 0 || this.running.size > 0) return;
        this.waiting.shift();
        this.running.add(flight);
        if (flight.rows) for (const row of flight.rows) this.busy.add(row);
        else this.alone = true;
        flight.start();
        if (this.alone) return;
        continue;
      }
      if (this.meets(flight.rows, this.busy) || (passedOver && this.meets(flight.rows, passedOver))) {
        passedOver ??= new Set<string>();
        for (const row of flight.rows) passedOver.add(row);
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.running.add(flight);
      for (const row of flight.rows) this.busy.add(row);
      flight.start();
    }
  }

  private meets(rows: ReadonlySet<string>, others: ReadonlySet<string>): boolean {
    if (others.size === 0) return false;
    for (const row of rows) if (others.has(row)) return true;
    return false;
  }
}
