import { spawn } from 'node:child_process';
import { runProcess } from '../src/clusters/process-runner';
import type { Logger } from '../src/logging/logger';
import { PeakRss } from './peak-rss';

/**
 * A command that prints one huge line without a newline (`head -c N /dev/zero | tr`), read by the
 * process runner, and by the line splitting it replaced as the baseline (the text of the line so
 * far plus each chunk, split again at every chunk), both in this process, each with its own peak
 * RSS. `node dist/bench/command-output.js [megabytes=30]`.
 */
const megabytes = Number(process.argv[2] ?? 30);
const command = `head -c ${megabytes * 1024 * 1024} /dev/zero | tr '\\0' x`;

/** Counts what reaches the step log. */
function countingLogger(): Logger & { lines: number; chars: number } {
  const logger = {
    lines: 0,
    chars: 0,
    debug: (line: string) => logger.count(line),
    info: (line: string) => logger.count(line),
    warn: (line: string) => logger.count(line),
    error: (line: string) => logger.count(line),
    count(line: string) {
      logger.lines++;
      logger.chars += line.length;
    },
  };
  return logger;
}

/** The splitting the process runner did before it bounded lines: a baseline, kept here only. */
function baselineRun(logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let rest = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = rest + chunk.toString('utf8');
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      parts.forEach((line) => logger.info(line));
    });
    child.once('error', reject);
    child.once('close', () => resolve());
  });
}

async function measure(
  name: string,
  run: (logger: Logger) => Promise<unknown>,
): Promise<{ name: string; seconds: number; peakMiB: number; logged: string }> {
  const logger = countingLogger();
  const memory = new PeakRss();
  memory.start();
  const began = performance.now();
  await run(logger);
  const seconds = (performance.now() - began) / 1000;
  return { name, seconds, peakMiB: memory.stop(), logged: `${logger.lines} line(s), ${logger.chars} chars` };
}

async function main(): Promise<void> {
  const current = await measure('process runner', (logger) =>
    runProcess('/bin/sh', ['-c', command], { logger, clusterName: 'bench', display: 'bench' }),
  );
  const baseline = await measure('baseline (unbounded split)', baselineRun);
  console.log(`one ${megabytes} MB line without a newline on stdout (peak RSS: ${new PeakRss().method})`);
  for (const r of [baseline, current])
    console.log(
      `${r.name.padEnd(28)} ${r.seconds.toFixed(2).padStart(8)} s ${r.peakMiB.toFixed(0).padStart(6)} MiB peak RSS   logged: ${r.logged}`,
    );
  console.log(
    `ratio baseline/current: time ${(baseline.seconds / current.seconds).toFixed(1)}x, peak RSS ${(baseline.peakMiB / current.peakMiB).toFixed(1)}x`,
  );
}

void main();
