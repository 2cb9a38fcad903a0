import 'reflect-metadata';
import * as path from 'node:path';
import { bootstrap } from '../src';
import { jsonText } from '../src/cli/cli-context';
import { runSummaryToJson, runToJson } from '../src/cli/render/history.renderer';
import { noOpFlow } from './no-op-flows';
import { scratchDirectory } from './scratch';
import { medianBy } from './stats';

/**
 * What a list of a flow's runs costs: `app.history(flow)` (every run with every attempt of its
 * steps, a row per step attempt) beside `app.history(flow, { attempts: false })` (the runs alone,
 * what `synergy-flow history` prints), and the JSON that `history --json` and `history --json
 * --no-attempts` write of each (its text made as the CLI makes it, not written out). A layered
 * flow of `steps` steps runs `runs` timeperiods, then the reads of its default page (20 runs)
 * alternate in this process.
 *
 *   node --expose-gc dist/bench/history-read.js [steps=10000] [runs=20] [rounds=5]
 */
async function main(): Promise<void> {
  const [stepsArg, runsArg, roundsArg] = process.argv.slice(2);
  const steps = Number(stepsArg ?? 10_000);
  const runs = Number(runsArg ?? 20);
  const rounds = Number(roundsArg ?? 5);
  const dir = scratchDirectory('history-');
  const flow = noOpFlow('layered', steps);
  const app = await bootstrap({
    flows: [flow.flowClass],
    database: { type: 'better-sqlite3', database: path.join(dir, 'synergy-flow.db') },
    logDirectory: path.join(dir, 'logs'),
  });
  try {
    for (let i = 0; i < runs; i++) await app.run(flow.name, { timeperiod: String(2026010100 + i) });
    // The bytes `history --json` prints of these runs, made by printJson's own function.
    const json = (runs: Array<Record<string, unknown>>) => Buffer.byteLength(jsonText({ flowName: flow.name, runs }, app.logs.redact));
    const ways = {
      'with attempts': async () => (await app.history(flow.name)).reduce((rows, run) => rows + 1 + run.attempts.length, 0),
      'attempts: false': async () => (await app.history(flow.name, { attempts: false })).length,
      '--json': async () => json((await app.history(flow.name)).map(runToJson)),
      '--json --no-attempts': async () => json((await app.history(flow.name, { attempts: false })).map(runSummaryToJson)),
    };
    const ms: Record<string, number[]> = {};
    const rows: Record<string, number> = {};
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? Object.entries(ways) : Object.entries(ways).reverse();
      for (const [name, read] of order) {
        global.gc?.();
        const started = performance.now();
        rows[name] = await read();
        (ms[name] ??= []).push(performance.now() - started);
      }
    }
    const base = medianBy(ms['with attempts'], (x) => x);
    console.log(
      `history of a ${steps.toLocaleString('en-US')}-step flow's ${Math.min(runs, 20)} latest runs on SQLite, ${rounds} rounds, alternating`,
    );
    for (const name of Object.keys(ways)) {
      const median = medianBy(ms[name], (x) => x);
      console.log(
        `  ${name.padEnd(20)} ${rows[name].toLocaleString('en-US').padStart(11)} ${name.startsWith('--json') ? 'bytes out' : 'rows read'}   median ${median.toFixed(1).padStart(8)} ms   ${(median / base).toFixed(4)}x with attempts`,
      );
    }
  } finally {
    await app.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
