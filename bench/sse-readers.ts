import 'reflect-metadata';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { bootstrap, type SynergyFlowApp } from '../src';
import { nextTimeperiod } from '../src/timeperiod';
import { machineDescription } from './machine';
import { noOpFlow } from './no-op-flows';
import { scratchDirectory } from './scratch';

/**
 * `node dist/bench/sse-readers.js [readers] [steps] [rounds] [deflate|identity]` (defaults 500, 2000,
 * 5, deflate): how much a run slows down while the viewer streams its events to many clients. Each
 * round times one run of a layered no-op flow with no event-stream client, one with `readers` clients
 * that read everything, and one with `readers` clients that never read; the clients live in another
 * process and accept compressed streams as browsers do (`identity`: they do not, as curl). It prints
 * the median of each and its ratio to the run without clients (target: 1.5x at most).
 */
type Mode = 'none' | 'read' | 'never-read';

interface Timed {
  ms: number;
  cpuMs: number;
}

async function main(): Promise<void> {
  const [readersArg, stepsArg, roundsArg, encodingArg] = process.argv.slice(2);
  const encoding = encodingArg ?? 'deflate';
  const readers = Number(readersArg ?? 500);
  const steps = Number(stepsArg ?? 2000);
  const rounds = Number(roundsArg ?? 5);
  if (![readers, steps, rounds].every((n) => Number.isInteger(n) && n >= 1) || !['deflate', 'identity'].includes(encoding)) {
    throw new Error('usage: node dist/bench/sse-readers.js [readers] [steps] [rounds] [deflate|identity]');
  }

  const flow = noOpFlow('layered', steps);
  const dir = scratchDirectory('sse-readers-');
  const app = await bootstrap({
    flows: [flow.flowClass],
    database: { type: 'better-sqlite3', database: path.join(dir, 'synergy-flow.db') },
    logDirectory: path.join(dir, 'logs'),
    tuneV8: true, // as bootstrap() did unasked before it became opt-in: the figures stay comparable
  });
  const viewer = await app.serve({ port: 0, limits: { maxConnections: readers + 16 } });
  console.log(
    `${steps}-step layered flow, ${readers} event-stream clients (${encoding}), ${rounds} rounds, on ${machineDescription()}; load ${loadAverage()}`,
  );

  let timeperiod = '2026010100';
  const nextRun = () => (timeperiod = nextTimeperiod(timeperiod, 'hourly'));
  // the engine's and the viewer's code compiled before anything is measured
  for (let i = 0; i < 2; i++) await timeRun(app, flow.name, nextRun());

  const times: Record<Mode, Timed[]> = { none: [], read: [], 'never-read': [] };
  const clients: Record<Exclude<Mode, 'none'>, { bytes: number; closed: number }[]> = { read: [], 'never-read': [] };
  for (let round = 0; round < rounds; round++) {
    times.none.push(await timeRun(app, flow.name, nextRun()));
    for (const mode of ['read', 'never-read'] as const) {
      const group = await startClients(viewer.url, readers, mode, encoding);
      times[mode].push(await timeRun(app, flow.name, nextRun()));
      clients[mode].push(await group.stop());
    }
  }
  await viewer.close();
  await app.close();

  const none = median(times.none.map((t) => t.ms));
  const noneCpu = median(times.none.map((t) => t.cpuMs));
  console.log('  clients                  median run ms   ratio to none   engine process CPU ms   ratio   runs (ms)');
  for (const mode of ['none', 'read', 'never-read'] as const) {
    const ms = median(times[mode].map((t) => t.ms));
    const cpuMs = median(times[mode].map((t) => t.cpuMs));
    const label = mode === 'none' ? 'none' : `${readers} that ${mode === 'read' ? 'read' : 'never read'}`;
    console.log(
      `  ${label.padEnd(23)}  ${ms.toFixed(0).padStart(13)}   ${`${(ms / none).toFixed(2)}x`.padStart(13)}   ${cpuMs.toFixed(0).padStart(21)}   ${`${(cpuMs / noneCpu).toFixed(2)}x`.padStart(5)}   ${times[mode].map((t) => t.ms.toFixed(0)).join(' ')}`,
    );
  }
  const read = clients.read.map((c) => (c.bytes / readers / 1024).toFixed(0)).join(' ');
  const dropped = clients['never-read'].map((c) => c.closed).join(' ');
  console.log(
    `  each reading client took KiB per run off the wire: ${read}; never-reading clients the viewer disconnected per run: ${dropped}`,
  );
  console.log(`  load ${loadAverage()}`);
}

/** One run: its wall time, and the CPU time (user + system) of this process, the engine's and the viewer's, during it. */
async function timeRun(app: SynergyFlowApp, flowName: string, timeperiod: string): Promise<Timed> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await app.run(flowName, { timeperiod });
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (result.state !== 'processed') throw new Error(`the run of ${timeperiod} ended ${result.state}`);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

/** `count` event-stream clients in a child process, every one subscribed when this resolves. */
async function startClients(
  url: string,
  count: number,
  mode: Exclude<Mode, 'none'>,
  encoding: string,
): Promise<{ stop(): Promise<{ bytes: number; closed: number }> }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'sse-reader.client.js'), url, String(count), mode, encoding], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the event-stream clients exited early');
    return JSON.parse(value);
  };
  await next();
  return {
    async stop() {
      child.stdin.write('report\n');
      const report = await next();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
      return report;
    },
  };
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
}

function loadAverage(): string {
  return (require('node:os') as typeof import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
