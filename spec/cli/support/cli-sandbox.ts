import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';

/** The compiled entry files the specs run, as users run theirs: `node <entry> <command>`. */
export const SAMPLE_ENTRY = path.resolve(__dirname, '../../../samples/main.js');
export const GATED_ENTRY = path.resolve(__dirname, '../fixtures/gated-entry.js');
export const NO_APP_ENTRY = path.resolve(__dirname, '../fixtures/no-app-entry.js');
export const FACTORY_ENTRY = path.resolve(__dirname, '../fixtures/factory-entry.js');
export const SCHEDULED_ENTRY = path.resolve(__dirname, '../fixtures/scheduled-entry.js');
export const FAILING_SCHEDULE_ENTRY = path.resolve(__dirname, '../fixtures/failing-schedule-entry.js');
export const BIN = path.resolve(__dirname, '../../../src/cli/bin.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface FlowRow {
  flow_name: string;
  timeperiod: string;
  state: string;
  run_mode: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface StepRow {
  step_name: string;
  timeperiod: string;
  state: string;
  attempt: number;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
}

/** A child process still running, with what it has printed so far. */
export interface RunningCli {
  child: ChildProcess;
  output(): string;
  /** Resolves once stdout matches; rejects if the process ends first. */
  waitFor(pattern: RegExp): Promise<string>;
  done: Promise<CliResult>;
}

/**
 * A temporary working directory for the CLI's child processes: the app's defaults put the SQLite
 * file (synergy-flow.db) and logs/ there, and TMPDIR points inside it so the samples' marker and
 * work files stay private to the spec. `rows()` reads the database the way a user would check it.
 */
export class CliSandbox {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-cli-'));
  readonly tmp = path.join(this.dir, 'tmp');
  readonly gates = path.join(this.dir, 'gates');

  constructor() {
    fs.mkdirSync(this.tmp);
    fs.mkdirSync(this.gates);
  }

  get database(): string {
    return path.join(this.dir, 'synergy-flow.db');
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...process.env, TMPDIR: this.tmp, SYNERGY_GATES: this.gates, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
  }

  /** `node <entry> ...args` in the sandbox, to the end. */
  run(args: readonly string[], options: { entry?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
    return this.start(args, options).done;
  }

  start(args: readonly string[], options: { entry?: string; env?: NodeJS.ProcessEnv } = {}): RunningCli {
    const child = spawn(process.execPath, [options.entry ?? SAMPLE_ENTRY, ...args], {
      cwd: this.dir,
      env: this.env(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const listeners = new Set<() => void>();
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      for (const l of listeners) l();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<CliResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        resolve({ code, signal, stdout, stderr });
        for (const l of listeners) l();
      });
    });
    const waitFor = (pattern: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout)) {
            listeners.delete(check);
            resolve(stdout);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            reject(new Error(`the process ended before printing ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        listeners.add(check);
        check();
      });
    return { child, output: () => stdout, waitFor, done };
  }

  /** Opens a step's gate in the gated fixture flow (`fail <message>` fails it). */
  open(step: string, verdict = 'pass'): void {
    // Written aside, then renamed: the step must never read a half-written verdict.
    const draft = path.join(this.dir, `${step}.gate`);
    fs.writeFileSync(draft, verdict);
    fs.renameSync(draft, path.join(this.gates, step));
  }

  flows(): FlowRow[] {
    return this.query<FlowRow>(
      'SELECT flow_name, timeperiod, state, run_mode, started_at, finished_at FROM flow ORDER BY flow_name, timeperiod',
    );
  }

  steps(flow: string, timeperiod: string): StepRow[] {
    return this.query<StepRow>(
      'SELECT step_name, timeperiod, state, attempt, started_at, finished_at, error FROM step WHERE flow_name = ? AND timeperiod = ? ORDER BY id',
      flow,
      timeperiod,
    );
  }

  /** Every row of both tables: compare two snapshots to prove nothing was written. */
  snapshot(): string {
    if (!fs.existsSync(this.database)) return '(no database)';
    return JSON.stringify([this.query('SELECT * FROM flow ORDER BY id'), this.query('SELECT * FROM step ORDER BY id')]);
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs one statement on the sandbox's database, as another engine or an operator writes to it beside the CLI. */
  execute(sql: string, ...params: unknown[]): void {
    const db = new Database(this.database, { fileMustExist: true });
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  }

  /** Rows of a read-only query of the sandbox's database. */
  query<T>(sql: string, ...params: unknown[]): T[] {
    const db = new Database(this.database, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }
}
