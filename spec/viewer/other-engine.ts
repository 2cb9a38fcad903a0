import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { BootstrapOptions, FlowEvent, FlowRunResult } from '../../src';
import type { SseMessage, SseReader } from './sse-reader';

const OTHER_ENGINE = path.resolve(__dirname, 'fixtures/other-engine.process.js');

/** Another engine's process running file_gated for `timeperiod` (see fixtures/other-engine.process.ts). */
export interface OtherEngine {
  pid: number;
  /** Its run's result, once it printed it; rejects naming its exit code and stderr if it failed. */
  result: Promise<FlowRunResult>;
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
  return { pid: child.pid!, result };
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
