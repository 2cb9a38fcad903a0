import 'reflect-metadata';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { bootstrap } from '../src';
import { nextTimeperiod } from '../src/timeperiod';
import { machineDescription } from './machine';
import { noOpFlow } from './no-op-flows';
import { scratchDirectory } from './scratch';
import { distribution } from './stats';

/**
 * `node dist/bench/viewer-render.js [steps] [timeperiods] [samples]` (defaults 2000, 30, 5): how long
 * the viewer's page takes, in Debian's Chromium, from navigation until a large flow's grid (its
 * latest `timeperiods` x every step, rows in the database) and its DAG are both drawn and painted.
 * Each sample is a fresh page: navigation to `?view=grid` until the grid and the DAG are built and
 * a frame painted, then the Graph tab until the DAG is painted. Baselines measured in the same
 * browser: an empty page, and the same page for a 10-step flow with as many timeperiods. It prints
 * the medians, the ratio to each baseline and the target (2 s).
 */
const CHROMIUM = '/usr/bin/chromium';
const TARGET_MS = 2000;

async function main(): Promise<void> {
  const [stepsArg, columnsArg, samplesArg] = process.argv.slice(2);
  const steps = Number(stepsArg ?? 2000);
  const columns = Number(columnsArg ?? 30);
  const samples = Number(samplesArg ?? 5);
  if (![steps, columns, samples].every((n) => Number.isInteger(n) && n >= 1)) {
    throw new Error('usage: node dist/bench/viewer-render.js [steps] [timeperiods] [samples]');
  }
  const big = noOpFlow('layered', steps);
  const small = noOpFlow('layered', 10);
  const dir = scratchDirectory('viewer-render-');
  const app = await bootstrap({
    flows: [big.flowClass, small.flowClass],
    database: { type: 'better-sqlite3', database: path.join(dir, 'synergy-flow.db') },
    logDirectory: path.join(dir, 'logs'),
  });
  const load = () => os.loadavg()[0].toFixed(1);
  console.log(`${steps}-step layered flow, ${columns} timeperiods, ${samples} samples, on ${machineDescription()}; load ${load()}`);
  let timeperiod = '2026010100';
  for (let i = 0; i < columns; i++) {
    await app.run(big.name, { timeperiod });
    await app.run(small.name, { timeperiod });
    timeperiod = nextTimeperiod(timeperiod, 'daily');
  }
  const viewer = await app.serve({ port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    // one unmeasured load of each, so Chromium's and the server's code is compiled before timing
    await timePage(browser, new URL(`/?flow=${big.name}&view=grid`, viewer.url).href, columns);
    const empty: number[] = [];
    const smallPage: number[] = [];
    const bigPage: Array<{ grid: number; total: number }> = [];
    for (let i = 0; i < samples; i++) {
      empty.push(await timeEmptyPage(browser));
      smallPage.push((await timePage(browser, new URL(`/?flow=${small.name}&view=grid`, viewer.url).href, columns)).total);
      bigPage.push(await timePage(browser, new URL(`/?flow=${big.name}&view=grid`, viewer.url).href, columns));
    }
    const median = (values: number[]) => distribution(values)!.p50;
    const total = median(bigPage.map((s) => s.total));
    const lines: Array<[string, number]> = [
      ['empty page (baseline)', median(empty)],
      [`10-step flow, grid + DAG (baseline)`, median(smallPage)],
      [`${steps}-step flow, grid drawn`, median(bigPage.map((s) => s.grid))],
      [`${steps}-step flow, grid + DAG drawn`, total],
    ];
    for (const [label, ms] of lines) console.log(`  ${label.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms (median of ${samples})`);
    console.log(
      `  ratio to the empty page: ${(total / median(empty)).toFixed(1)}x; to the 10-step page: ${(total / median(smallPage)).toFixed(1)}x`,
    );
    console.log(`  target < ${TARGET_MS} ms: ${total < TARGET_MS ? 'met' : 'NOT met'} (load average ${load()} at the end)`);
  } finally {
    await browser.close();
    await viewer.close();
    await app.close();
  }
}

/** Navigation until the grid (`columns` columns) and the DAG are built and painted, then the DAG shown and painted. */
async function timePage(browser: Browser, url: string, columns: number): Promise<{ grid: number; total: number }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    const start = performance.now();
    await page.goto(url);
    await page.waitForSelector(`#grid[data-drawn="${columns}"]`, { state: 'attached', timeout: 120_000 });
    await page.waitForSelector('#dag[data-drawn]', { state: 'attached', timeout: 120_000 });
    await painted(page);
    const grid = performance.now() - start;
    // clicked from inside the page: playwright's own checks before a click are not the page's time
    await page.evaluate(() =>
      (globalThis as unknown as { document: { getElementById(id: string): { click(): void } } }).document
        .getElementById('tab-graph')
        .click(),
    );
    await page.waitForSelector('#view-graph:not([hidden])', { state: 'attached' });
    await painted(page);
    return { grid, total: performance.now() - start };
  } finally {
    await page.close();
  }
}

async function timeEmptyPage(browser: Browser): Promise<number> {
  const page = await browser.newPage();
  try {
    const start = performance.now();
    await page.goto('data:text/html,<!doctype html><title>empty</title><p>empty</p>');
    await painted(page);
    return performance.now() - start;
  } finally {
    await page.close();
  }
}

/** Resolves after the browser has painted a frame with what the page holds now. */
async function painted(page: import('playwright-core').Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() =>
          (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => resolve()),
        ),
      ),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
