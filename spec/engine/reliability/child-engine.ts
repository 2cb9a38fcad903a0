import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import Database from 'better-sqlite3';

const FIXTURE = path.resolve(__dirname, '../../fixtures/reliability/engine-process.fixture.js');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the process exited. */
  at: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Line = Record<string, any>;

/** An engine in a child process (spec/fixtures/reliability/engine-process.fixture.ts), its events read line by line. */
export class ChildEngine {
  readonly lines: Line[] = [];
  stderr = '';
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private waiters: Array<() => void> = [];

  constructor(flow: string, mode: 'run' | 'recover', workDir: string, hang: 'polite' | 'stubborn' | 'forever' | 'none', graceMs?: number) {
    const args = [FIXTURE, flow, mode, workDir, hang, ...(graceMs === undefined ? [] : [String(graceMs)])];
    this.child = spawn(process.execPath, ['--enable-source-maps', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    readline.createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.lines.push(JSON.parse(line) as Line);
      this.wake();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
      this.wake();
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));
    void this.exited.then(() => this.wake());
  }

  get pid(): number {
    return this.child.pid!;
  }

  kill(signal: NodeJS.Signals): number {
    this.child.kill(signal);
    return performance.now();
  }

  /** Resolves once `condition` holds on what the child printed; fails if the child exits first or after `withinMs`. */
  async until(what: string, condition: () => boolean, withinMs = 20_000): Promise<void> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    const deadline = setTimeout(() => this.wake(), withinMs);
    try {
      const started = performance.now();
      while (!condition()) {
        if (exited) throw new Error(`the child engine exited before ${what}; stderr:\n${this.stderr}`);
        if (performance.now() - started > withinMs) throw new Error(`no ${what} within ${withinMs} ms; stderr:\n${this.stderr}`);
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    } finally {
      clearTimeout(deadline);
    }
  }

  /** The child printed this event. */
  saw(match: Line): boolean {
    return this.lines.some((line) => Object.entries(match).every(([key, value]) => line[key] === value));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

export interface PersistedRun {
  flow: string | undefined;
  steps: Record<string, { state: string; attempt: number; error: string | null }>;
}

/** What the database file says, read directly (not through the engine under test). */
export function readRun(file: string, flowName: string): PersistedRun {
  const db = new Database(file, { readonly: true });
  try {
    const flow = db.prepare('SELECT state FROM flow WHERE flow_name = ?').get(flowName) as { state: string } | undefined;
    const rows = db.prepare('SELECT step_name, state, attempt, error FROM step WHERE flow_name = ? ORDER BY id').all(flowName) as Array<{
      step_name: string;
      state: string;
      attempt: number;
      error: string | null;
    }>;
    return {
      flow: flow?.state,
      steps: Object.fromEntries(rows.map((r) => [r.step_name, { state: r.state, attempt: r.attempt, error: r.error }])),
    };
  } finally {
    db.close();
  }
}

/** The flow's runs in the history, oldest first, each with its attempts as `<step> <state>` and their errors. */
export function readHistory(file: string, flowName: string) {
  const db = new Database(file, { readonly: true });
  try {
    const runs = db
      .prepare('SELECT id, run_mode, state, pid, error FROM flow_run WHERE flow_name = ? ORDER BY started_at, id')
      .all(flowName) as Array<{ id: string; run_mode: string; state: string; pid: number; error: string | null }>;
    const attempts = db.prepare('SELECT step_name, state, error FROM step_attempt WHERE run_id = ? ORDER BY id');
    return runs.map((run) => {
      const rows = attempts.all(run.id) as Array<{ step_name: string; state: string; error: string | null }>;
      return { ...run, attempts: rows.map((a) => `${a.step_name} ${a.state}`), attemptErrors: rows.map((a) => a.error) };
    });
  } finally {
    db.close();
  }
}

/** Step states only, for deep equality. */
export function statesOf(run: PersistedRun): Record<string, string> {
  return Object.fromEntries(Object.entries(run.steps).map(([name, s]) => [name, s.state]));
}
