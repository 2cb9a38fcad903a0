import type { FlowApplication } from '../flow-application.port';

/** What the viewer's log routes answer: the lines of one run (or of one timeperiod's runs), their end if long. */
export interface RunLogTail {
  /** Whole lines, oldest first, each ending in a newline. */
  text: string;
  /** How many lines `text` holds. */
  lines: number;
  /** Bytes of all the lines asked for, before any were left out. */
  size: number;
  /** True when older lines were left out, to stay within maxBytes. */
  truncated: boolean;
  /** False when there is no line to show (the step has not run in that run yet). */
  exists: boolean;
}

/** Which log, and which of its lines. */
export interface RunLogRequest {
  flow: string;
  step?: string;
  timeperiod: string;
  runId?: string;
  attempt?: number;
  maxBytes: number;
}

/**
 * The lines of one run of a flow (its own log, or a step's), through `app.logs()`: rotated files
 * included, other timeperiods' and runs' lines left out, an unknown run or a timeperiod that never
 * ran an error (404). Only the last `maxBytes` are sent, cut at a line start.
 */
export async function readRunLog(app: FlowApplication, request: RunLogRequest): Promise<RunLogTail> {
  const { flow, step, timeperiod, runId, attempt, maxBytes } = request;
  const entries = await app.logs(flow, { step, timeperiod, runId, attempt });
  const all = entries.map((entry) => `${entry.line}\n`);
  let size = 0;
  for (const line of all) size += Buffer.byteLength(line);
  let kept = 0;
  let first = all.length;
  while (first > 0) {
    const bytes = Buffer.byteLength(all[first - 1]);
    if (kept + bytes > maxBytes) break;
    kept += bytes;
    first--;
  }
  const shown = all.slice(first);
  return { text: shown.join(''), lines: shown.length, size, truncated: first > 0, exists: all.length > 0 };
}
