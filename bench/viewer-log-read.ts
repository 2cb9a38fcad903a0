import * as fs from 'node:fs';
import * as path from 'node:path';
import { newRunId } from '../src/domain/run-id';
import { streamLogEntries } from '../src/logging/log-entries.stream';
import { localIsoTimestamp } from '../src/logging/log-layout';
import type { LogEntryFilter } from '../src/logging/log-line.filter';
import { readNewestLogEntries } from '../src/logging/newest-log-entries.reader';
import { runLinesNotBefore } from '../src/logging/run-log-tail.query';
import { machineDescription } from './machine';
import { scratchDirectory } from './scratch';
import { distribution } from './stats';

/**
 * `node dist/bench/viewer-log-read.js [samples]` (default 7): what the viewer's log routes cost for
 * the newest 64 KiB of a 22 MiB step log (a 4 MiB file and 9 rotated ones, 30 days of hourly
 * runs, multi-line entries), read the way they read it before (every entry of every generation
 * streamed forward, the newest kept in a ring) and now (backwards from the end). Three reads: the
 * whole log, the latest run (`runId`, what the page asks for), and one attempt of it. Prints the
 * medians, and the ratio before / now.
 */
const MAX_BYTES = 64 * 1024;
const LOG_BYTES = 22 * 1024 * 1024;
const FILE_BYTES = 2.2 * 1024 * 1024;
const source = { flow: 'big_flow', step: 'big' };

/** The read the routes did before: the forward stream, its newest entries kept within maxBytes. */
async function readForward(file: string, filter: LogEntryFilter): Promise<string> {
  const kept: string[] = [];
  let keptBytes = 0;
  for await (const { entry, bytes } of streamLogEntries(file, source, filter, { maxEntryBytes: MAX_BYTES })) {
    kept.push(`${entry.line}\n`);
    keptBytes += bytes;
    while (keptBytes > MAX_BYTES) keptBytes -= Buffer.byteLength(kept.shift()!);
  }
  return kept.join('');
}

/** The step log of 30 days of hourly runs, oldest first, each run's lines timed after its id. */
function writeLog(file: string): { runId: string; timeperiod: string } {
  const hour = 3600_000;
  const first = Date.now() - 30 * 24 * hour;
  const runs = 30 * 24;
  const bytesPerRun = LOG_BYTES / runs;
  const chunks: string[] = [];
  let last = { runId: '', timeperiod: '' };
  for (let r = 0; r < runs; r++) {
    const at = first + r * hour;
    const runId = newRunId(at);
    const timeperiod = new Date(at).toISOString().slice(0, 13).replace(/[-T]/g, '');
    const head = (i: number) => `${localIsoTimestamp(new Date(at + i * 10))} big INFO [${timeperiod}#${runId}] `;
    let text = `${head(0)}attempt 1 started on cluster local\n`;
    for (let i = 1; text.length < bytesPerRun; i++)
      text += i % 20 === 0 ? `${head(i)}a stack\n\tat frame one\n\tat frame two\n` : `${head(i)}working on row ${i * 7919}\n`;
    chunks.push(text);
    last = { runId, timeperiod };
  }
  // the newest FILE_BYTES in <file>, the older ones in <file>.1 ... <file>.9, as rotation leaves them
  let all = chunks.join('');
  for (let generation = 0; all.length > 0; generation++) {
    const cut = generation === 9 ? 0 : Math.max(0, all.lastIndexOf('\n', all.length - FILE_BYTES - 1) + 1);
    fs.writeFileSync(generation === 0 ? file : `${file}.${generation}`, all.slice(cut));
    all = all.slice(0, cut);
  }
  return last;
}

async function timed(read: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await read();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const samples = Number(process.argv[2] ?? 7);
  if (!Number.isInteger(samples) || samples < 1) throw new Error('usage: node dist/bench/viewer-log-read.js [samples]');
  const file = path.join(scratchDirectory('viewer-log-read-'), 'big.log');
  const { runId, timeperiod } = writeLog(file);
  const bytes = fs.readdirSync(path.dirname(file)).reduce((sum, name) => sum + fs.statSync(path.join(path.dirname(file), name)).size, 0);
  console.log(
    `newest ${MAX_BYTES / 1024} KiB of a ${(bytes / 1024 ** 2).toFixed(1)} MiB step log, ${samples} samples, on ${machineDescription()}`,
  );
  const reads: Array<[string, LogEntryFilter]> = [
    ['whole log', {}],
    ['latest run', { timeperiod, runId }],
    ['its attempt 1', { timeperiod, runId, attempt: 1 }],
  ];
  for (const [name, filter] of reads) {
    const notBefore = filter.runId === undefined ? undefined : runLinesNotBefore(filter.runId);
    const newRead = () => readNewestLogEntries(file, source, filter, { maxBytes: MAX_BYTES, notBefore });
    const [before, now] = [await readForward(file, filter), (await newRead()).text];
    if (before !== now) throw new Error(`${name}: the two reads differ`);
    const forward: number[] = [];
    const backward: number[] = [];
    for (let i = 0; i < samples; i++) {
      forward.push(await timed(() => readForward(file, filter)));
      backward.push(await timed(newRead));
    }
    const old = distribution(forward)!.p50;
    const fresh = distribution(backward)!.p50;
    console.log(`  ${name.padEnd(14)} before ${old.toFixed(1)} ms, now ${fresh.toFixed(2)} ms: ${(old / fresh).toFixed(0)}x less`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
