import 'reflect-metadata';
import * as path from 'node:path';
import { bootstrap } from '../src';
import { compareReads } from './alternating-reads';
import { comparedDatabase } from './compared-database';
import { noOpFlow } from './no-op-flows';
import { scratchDirectory } from './scratch';

/**
 * What the viewer's log pane pays to find the run whose lines it shows: the timeperiod's latest run
 * from GET /api/flows/:flow/history, as it asked before (`?timeperiod=&limit=1`: the run with every
 * attempt of its steps, only to keep the selected step's) and as it asks now (`&step=`: that step's
 * attempts, chosen by the SELECT). It asks at every refresh of the pane, on each event of its step.
 * A layered flow of `steps` no-op steps runs `runs` timeperiods; both requests alternate against
 * the viewer on loopback, in this process. With `COMPARE_ON=postgres`, on an embedded PostgreSQL.
 *
 *   node --expose-gc dist/bench/log-pane-lookup.js [steps=10000] [runs=3] [rounds=9]
 */
async function main(): Promise<void> {
  const [stepsArg, runsArg, roundsArg] = process.argv.slice(2);
  const steps = Number(stepsArg ?? 10_000);
  const runs = Number(runsArg ?? 3);
  const rounds = Number(roundsArg ?? 9);
  const dir = scratchDirectory('log-pane-');
  const database = await comparedDatabase(dir);
  const flow = noOpFlow('layered', steps);
  const app = await bootstrap({ flows: [flow.flowClass], database: database.options, logDirectory: path.join(dir, 'logs') });
  const viewer = await app.serve({ port: 0 });
  try {
    for (let i = 0; i < runs; i++) await app.run(flow.name, { timeperiod: String(2026010100 + i) });
    const timeperiod = String(2026010100 + runs - 1);
    // A step of the flow's middle: its attempt row is neither the first nor the last its run wrote.
    const step = app.graph(flow.name).steps[Math.floor(steps / 2)];
    const latestRun = async (query: string) => {
      const response = await fetch(new URL(`/api/flows/${flow.name}/history?timeperiod=${timeperiod}&limit=1${query}`, viewer.url));
      if (!response.ok) throw new Error(`${response.status}: ${await response.text()}`);
      return ((await response.json()) as { runs: Array<{ runId: string; attempts: Array<{ stepName: string }> }> }).runs;
    };
    const [whole] = await latestRun('');
    const [ofStep] = await latestRun(`&step=${step}`);
    const kept = whole.attempts.filter((a) => a.stepName === step);
    if (whole.runId !== ofStep.runId || JSON.stringify(kept) !== JSON.stringify(ofStep.attempts) || kept.length !== 1)
      throw new Error('the two requests do not give the same run and attempts of the step');
    console.log(`${whole.attempts.length.toLocaleString('en-US')} attempts in the latest run; the pane keeps ${kept.length}`);
    await compareReads(
      `the log pane's latest-run lookup, a ${steps.toLocaleString('en-US')}-step flow with ${runs} runs, on ${database.name}`,
      1,
      rounds,
      {
        'before: every attempt': () => latestRun(''),
        'now: ?step=': () => latestRun(`&step=${step}`),
      },
    );
  } finally {
    await viewer.close();
    await app.close();
    await database.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
