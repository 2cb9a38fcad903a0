import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatLogLine } from './log-layout';
import { parseLogLine, type LogSource } from './log-entry';
import { ATTEMPT_LINE } from './log-line.filter';

/**
 * A step's own text line of an attempt, as its FileLogger tells the writer (no parsing): its run,
 * `<timeperiod>#<runId>`, and the attempt. The writer keeps the last one of each run per file.
 */
export interface LineAttempt {
  run: string;
  attempt: number;
}

/** The attempt each run of a step log is at, by `<timeperiod>#<runId>`: what its last own line says. */
export type RunAttempts = Map<string, number>;

/** Read at a time, walking back through a rotated file. */
const BLOCK_BYTES = 256 * 1024;
/** The most a line's start before its message can take (timestamp, a 200-character step name, level, tag). */
const HEAD_BYTES = 1024;
/** Runs carried at one rotation: more runs of one step at once is not a case to pay for. */
const MAX_RUNS = 16;
/** Lines looked at for the runs that go on: those of the write that rotated the file, at most. */
const MAX_COMING_LINES = 1000;

/** The step's own line that goes first in a file a rotation opened, for each attempt going on across it. */
export function attemptContinuesMessage(attempt: number): string {
  return `attempt ${attempt} continues (the log rotated)`;
}

/**
 * Which attempts go on in a step log that a rotation just opened: for each run whose lines come next
 * (`coming`: the lines about to be written), the attempt it was at in the file rotated (`.1`). A text
 * line names its run but not its attempt, which is the last one started in its run before it; once
 * the `attempt N started` line was rotated out (an attempt longer than keepFiles files), its lines
 * had none, and `--attempt` and the viewer's log pane showed nothing of it. `known` is what the
 * writer saw written to the rotated file (LineAttempt); without it (a file it did not see from its
 * start) the rotated file is searched from its end, once per rotation. Empty for a flow's own log
 * (no attempts) and JSON lines (each carries its attempt).
 */
export function attemptsGoingOn(file: string, coming: readonly string[], known: RunAttempts | undefined): RunAttempts {
  const going: RunAttempts = new Map();
  const source = stepLogSource(file);
  if (!source) return going;
  const runs = runsOf(coming, source);
  if (runs.length === 0) return going;
  if (known) {
    for (const run of runs) if (known.has(run)) going.set(run, known.get(run)!);
    return going;
  }
  const fd = fs.openSync(`${file}.1`, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    for (const run of runs) {
      const attempt = lastAttemptOf(fd, size, source, run);
      if (attempt !== undefined) going.set(run, attempt);
    }
  } finally {
    fs.closeSync(fd);
  }
  return going;
}

/**
 * The lines that say so, first in the new file: `<ts> <step> INFO [<timeperiod>#<runId>] attempt N
 * continues (the log rotated)`, which readers take as they take `attempt N started` (ATTEMPT_LINE).
 */
export function attemptContinuationLines(file: string, going: RunAttempts): string {
  const step = stepLogSource(file)?.step;
  if (step === undefined) return '';
  const now = new Date();
  let text = '';
  for (const [run, attempt] of going) text += `${formatLogLine(now, step, 'INFO', attemptContinuesMessage(attempt), `[${run}] `)}\n`;
  return text;
}

/** `<flow>/<step>.log`'s flow and step; undefined for the flow's own log, `<flow>/<flow>.log`. */
function stepLogSource(file: string): LogSource | undefined {
  const name = path.basename(file);
  const flow = path.basename(path.dirname(file));
  if (!name.endsWith('.log')) return undefined;
  const step = name.slice(0, -'.log'.length);
  return step === flow ? undefined : { flow, step };
}

/** The runs (`<timeperiod>#<runId>`) of the text lines, each once, in order. */
function runsOf(lines: readonly string[], source: LogSource): string[] {
  const runs = new Set<string>();
  for (const line of lines.slice(0, MAX_COMING_LINES)) {
    if (line.startsWith('{')) continue;
    const entry = parseLogLine(line, source);
    if (entry?.runId !== undefined) runs.add(`${entry.timeperiod}#${entry.runId}`);
    if (runs.size === MAX_RUNS) break;
  }
  return [...runs];
}

/**
 * The attempt of the run's last `attempt N started|continues` step line in the file, searched
 * from its end for `[<run>] attempt ` a block at a time. Each block holds HEAD_BYTES more than
 * its share, so a line whose start is in the block is whole up to its message; a hit counts in the
 * block that holds its line's start. Only a step's own line at a line's start counts: a message
 * that says the same thing is an action's line, or indented behind a tab (continuation-lines.ts).
 */
function lastAttemptOf(fd: number, size: number, source: LogSource, run: string): number | undefined {
  const needle = Buffer.from(`[${run}] attempt `);
  const runId = run.slice(run.indexOf('#') + 1);
  for (let end = size; end > 0;) {
    const start = Math.max(0, end - BLOCK_BYTES);
    const block = Buffer.alloc(Math.min(size, end + HEAD_BYTES) - start);
    fs.readSync(fd, block, 0, block.length, start);
    for (let hit = block.lastIndexOf(needle); hit >= 0; hit = hit === 0 ? -1 : block.lastIndexOf(needle, hit - 1)) {
      const newline = block.lastIndexOf(0x0a, hit);
      if (newline < 0 && start > 0) continue;
      const lineStart = newline + 1;
      if (start + lineStart >= end) continue;
      const lineEnd = block.indexOf(0x0a, hit);
      const entry = parseLogLine(block.toString('utf8', lineStart, lineEnd < 0 ? block.length : lineEnd), source);
      const attempt = entry?.runId === runId && entry.action === undefined ? ATTEMPT_LINE.exec(entry.message) : null;
      if (attempt) return Number(attempt[1]);
    }
    end = start;
  }
  return undefined;
}
