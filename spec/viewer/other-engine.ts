import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { bootstrap, type BootstrapOptions, type DatabaseOptions, type FlowEvent, type FlowRunResult, type SynergyFlowApp } from '../../src';
import { createDataSource, FlowLeaseRecord } from '../../src/persistence';
import type { SpecDatabase } from '../persistence/fixtures/spec-databases';
import { FileGatedFlow } from './file-gated.flow';
import type { SseMessage, SseReader } from './sse-reader';

const OTHER_ENGINE = path.resolve(__dirname, 'fixtures/other-engine.process.js');

/** Another engine's process running file_gated for `timeperiod` (see fixtures/other-engine.process.ts). */
export interface OtherEngine {
  pid: number;
  /** Its run's result, once it printed it; rejects naming its exit code and stderr if it failed. */
  result: Promise<FlowRunResult>;
  /** SIGKILL, stopped (SIGSTOP) or not, unless it has exited: what a spec's cleanup calls whatever happened. */
  kill(): void;
}

/** The application beside the other engine, on `db`: file_gated, its gate `<db.dir>/gate`, its logs under `<db.dir>/logs`. */
export function bootstrapBeside(db: Pick<SpecDatabase, 'options' | 'dir'>): Promise<SynergyFlowApp> {
  return bootstrap({
    flows: [FileGatedFlow],
    database: db.options,
    logDirectory: path.join(db.dir, 'logs'),
    settings: { gateFile: path.join(db.dir, 'gate') },
  });
}

/** Starts the other engine on `dir`'s SQLite file, or on the `database` of `options`; `timeZone`: its TZ. */
export function startOtherEngine(
  dir: string,
  timeperiod: string,
  options?: Pick<BootstrapOptions, 'database' | 'lease'>,
  timeZone?: string,
): OtherEngine {
  const args = ['--enable-source-maps', OTHER_ENGINE, dir, timeperiod, ...(options ? [JSON.stringify(options)] : [])];
  const env = timeZone ? { ...process.env, TZ: timeZone } : process.env;
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const result = new Promise<FlowRunResult>((resolve, reject) =>
    child.once('exit', (code, signal) =>
      code === 0 ? resolve(JSON.parse(stdout) as FlowRunResult) : reject(new Error(`the other engine exited ${code ?? signal}: ${stderr}`)),
    ),
  );
  // A spec that kills it on purpose awaits no result.
  result.catch(() => undefined);
  const kill = () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  return { pid: child.pid!, result, kill };
}

/**
 * Hangs the other engine (SIGSTOP) right after one of its heartbeats committed, never inside a
 * transaction: a SQLite writer or a PostgreSQL row lock stopped there would lock everyone out, which
 * is another story (spec/persistence/lease/stalled-transaction.spec.ts). Its lease then expires
 * while its pid is still there. SIGCONT (`process.kill(pid, 'SIGCONT')`) wakes it up.
 */
export async function stopAfterHeartbeat(other: OtherEngine, database: DatabaseOptions, timeperiod: string): Promise<void> {
  const watcher = await createDataSource(database);
  try {
    const version = async () =>
      (await watcher.getRepository(FlowLeaseRecord).findOneBy({ flowName: 'file_gated', timeperiod }))?.version ?? 0;
    const renewed = (await version()) + 1;
    while ((await version()) < renewed) await new Promise((resolve) => setTimeout(resolve, 5));
    process.kill(other.pid, 'SIGSTOP');
  } finally {
    await watcher.destroy();
  }
}

/** The flow and step events a reader received, parsed. */
export const eventsOf = (reader: SseReader): FlowEvent[] => reader.messages.map((m) => JSON.parse(m.data) as FlowEvent);

/** Matches the event of a step (`stepName`) or of the run (no step name) reaching `state`. */
export const reached =
  (state: string, stepName?: string) =>
  (m: SseMessage): boolean => {
    const event = JSON.parse(m.data) as { stepName?: string; state?: string };
    return m.event === (stepName === undefined ? 'flow' : 'step') && event.stepName === stepName && event.state === state;
  };
