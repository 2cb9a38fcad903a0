import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { createTestingApp, type TestingApp } from '../../src/testing';
import type { ViewerServer } from '../../src/viewer';
import { EightStepFlow, FailThenRecoverFlow } from '../../samples';
import { launchChromium } from '../support/headless-chromium';
import { CHROMIUM, requireSystemTool } from '../support/system-tool';
import { ACTION_PASSWORD, RetryOnceFlow } from './retry-once.flow';
import { TickFlow } from './tick.flow';
import { nextTimeperiod } from '../../src/timeperiod';

/**
 * The docs' pictures of the grid and the timeline are this spec's: `SYNERGY_UPDATE_SCREENSHOT=1`
 * writes them to docs/; an ordinary run writes to the temp dir and removes them.
 */
const screenshot = (name: string) =>
  process.env.SYNERGY_UPDATE_SCREENSHOT
    ? path.resolve(__dirname, `../../../docs/${name}.png`)
    : path.join(os.tmpdir(), `synergy-flow-${name}-${process.pid}.png`);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any, getComputedStyle: any;

/** The colours of the state variables in viewer.styles.ts, as the browser reports them. */
const COLOUR = {
  processed: 'rgb(76, 175, 114)',
  invalid: 'rgb(229, 72, 77)',
  embryo: 'rgb(228, 231, 236)',
};
const DAYS = ['2026112400', '2026112500', '2026112600'];

describe('viewer page as an operations console, in Chromium', function () {
  this.timeout(90_000);
  let t: TestingApp;
  let viewer: ViewerServer;
  let browser: Browser;
  let dir: string;

  before(async function () {
    requireSystemTool(this, CHROMIUM);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-viewer-console-'));
    const markerFile = path.join(dir, 'upstream.ready');
    t = await createTestingApp({ flows: [FailThenRecoverFlow, RetryOnceFlow, EightStepFlow, TickFlow], settings: { markerFile } });
    // a 3-day backfill whose middle day fails (its upstream data was late)
    for (const timeperiod of DAYS) {
      if (timeperiod === '2026112500') fs.rmSync(markerFile, { force: true });
      else fs.writeFileSync(markerFile, 'delivered');
      await t.app.run('fail_then_recover', { timeperiod, trigger: 'backfill' });
    }
    await t.app.run('retry_once', { timeperiod: '2026112600' });
    viewer = await t.app.serve({ port: 0 });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await viewer?.close();
    await t?.teardown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A page with its event stream open; every POST it sends is recorded in `window.posts` as it is sent. */
  async function openViewer(query: string, viewport = { width: 1280, height: 760 }): Promise<Page & { errors: string[] }> {
    const page = (await browser.newPage({ viewport })) as Page & { errors: string[] };
    page.errors = [];
    page.on('pageerror', (err) => page.errors.push(err.message));
    await page.addInitScript(() => {
      window.posts = [];
      const original = window.fetch.bind(window);
      window.fetch = (url: unknown, init?: { method?: string }) => {
        if (init?.method === 'POST') window.posts.push(String(url));
        return original(url, init);
      };
    });
    await page.goto(new URL(query, viewer.url).href);
    await page.waitForSelector('body[data-live=connected]');
    return page;
  }

  async function save(page: Page, name: string): Promise<void> {
    const file = screenshot(name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    expect(fs.statSync(file).size).to.be.greaterThan(10_000);
    if (!process.env.SYNERGY_UPDATE_SCREENSHOT) fs.rmSync(file, { force: true });
  }

  it('shows the grid after a 3-day backfill: 3 columns, each cell coloured by its state; a cell opens that run', async () => {
    const page = await openViewer('/?flow=fail_then_recover&view=grid');
    try {
      await page.waitForSelector('#grid[data-drawn="3"]');
      expect(
        await page.$$eval('#grid .grid-head [data-timeperiod]', (ths) => ths.map((th) => th.getAttribute('data-timeperiod'))),
      ).to.deep.equal(DAYS);
      const cells = await page.$$eval('#grid .grid-row', (rows) =>
        rows.map((row) => [
          row.getAttribute('data-step'),
          [...row.querySelectorAll('.cell')].map((cell) => getComputedStyle(cell).backgroundColor as string),
        ]),
      );
      expect(cells).to.deep.equal([
        ['fetch', [COLOUR.processed, COLOUR.processed, COLOUR.processed]],
        ['load', [COLOUR.processed, COLOUR.invalid, COLOUR.processed]],
        ['report', [COLOUR.processed, COLOUR.embryo, COLOUR.processed]],
      ]);
      await save(page, 'viewer-grid');

      await page.click('#grid .grid-row[data-step=load] .cell[data-timeperiod="2026112500"]');
      await page.waitForSelector('#view-graph:not([hidden]) #dag [data-step=load][data-state=invalid]');
      await page.waitForSelector('#step-panel:not([hidden])');
      expect(await page.textContent('#step-title')).to.equal('load');
      expect(await page.inputValue('#timeperiod-input')).to.equal('2026112500');
      const url = new URL(page.url());
      expect([url.searchParams.get('tp'), url.searchParams.get('step'), url.searchParams.get('view')]).to.deep.equal([
        '2026112500',
        'load',
        null,
      ]);
      expect(await page.evaluate(() => window.posts)).to.deep.equal([]);
      expect(page.errors).to.deep.equal([]);
    } finally {
      await page.close();
    }
  });

  it('pages the grid: the latest 30 timeperiods, older ones behind the older button, back with newer', async () => {
    const timeperiods: string[] = [];
    for (let tp = '2026010100'; timeperiods.length < 32; tp = nextTimeperiod(tp)) timeperiods.push(tp);
    for (const timeperiod of timeperiods) await t.app.run('tick', { timeperiod });
    const page = await openViewer('/?flow=tick&view=grid');
    const columns = () => page.$$eval('#grid .grid-head [data-timeperiod]', (cols) => cols.map((c) => c.getAttribute('data-timeperiod')));
    try {
      await page.waitForSelector('#grid[data-drawn="30"]');
      expect(await columns()).to.deep.equal(timeperiods.slice(2));
      expect(await page.isDisabled('#grid-newer')).to.equal(true);
      await page.click('#grid-older');
      await page.waitForSelector('#grid[data-drawn="2"]');
      expect(await columns()).to.deep.equal(timeperiods.slice(0, 2));
      expect(await page.isDisabled('#grid-older')).to.equal(true);
      await page.click('#grid-newer');
      await page.waitForSelector('#grid[data-drawn="30"]');
      expect(await columns()).to.deep.equal(timeperiods.slice(2));
      expect(page.errors).to.deep.equal([]);
    } finally {
      await page.close();
    }
  });

  it("shows a run's timeline, every attempt of its retried step with durations, and the history list with run id, trigger, host, pid and instance", async () => {
    const page = await openViewer('/?flow=retry_once&tp=2026112600&view=timeline');
    try {
      await page.waitForSelector('#timeline .gantt-row[data-step=publish] .bar');
      const rows = await page.$$eval('#timeline .gantt-row', (els) =>
        els.map((row) => ({
          step: row.getAttribute('data-step'),
          label: row.querySelector('.gantt-label')!.textContent,
          bars: [...row.querySelectorAll('.bar')].map((bar) => ({
            attempt: bar.getAttribute('data-attempt'),
            state: bar.getAttribute('data-state'),
            text: bar.textContent,
            left: parseFloat((bar as unknown as { style: { left: string } }).style.left),
          })),
        })),
      );
      expect(rows.map((r) => [r.step, r.label])).to.deep.equal([
        ['extract', 'extract'],
        ['flaky', 'flaky (2 attempts)'],
        ['publish', 'publish'],
      ]);
      const flaky = rows[1].bars;
      // every attempt is its own bar: the failed first one, then the retry that processed
      expect(flaky.map((b) => [b.attempt, b.state])).to.deep.equal([
        ['1', 'invalid'],
        ['2', 'processed'],
      ]);
      expect(flaky[0].text).to.match(/^#1 \d+ ms$/);
      expect(flaky[1].text).to.match(/^#2 \d+ ms$/);
      // bars sit where their attempts ran: each step after the one it depends on, the retry after the failure
      expect(rows[0].bars[0].left).to.be.below(flaky[0].left);
      expect(flaky[0].left).to.be.below(flaky[1].left);
      expect(flaky[1].left).to.be.below(rows[2].bars[0].left);

      const history = await page.$$eval('#history-list tr', (trs) =>
        trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.getAttribute('data-field'), td.textContent]))),
      );
      expect(history).to.have.length(1);
      expect(history[0]).to.include({ mode: 'run', state: 'processed' });
      expect(history[0].duration).to.match(/\d+ ms|\d+\.\d s/);
      expect(history[0].trigger).to.equal('api');
      // which engine ran it: the first 8 characters of its instance id, as `synergy-flow history` shows them
      const { instanceId } = await t.app.health();
      expect(history[0].who).to.equal(`${os.hostname()} pid ${process.pid} (instance ${instanceId.slice(0, 8)})`);
      expect(await page.getAttribute('#history-list tr', 'data-run-id')).to.match(/^[0-9a-z]{14}$/);
      await save(page, 'viewer-timeline');

      // the DAG's nodes say the same: the duration and the attempts of each step
      await page.click('#tab-graph');
      await page.waitForSelector('#dag [data-step=flaky][data-attempt="2"]');
      expect(await page.textContent('#dag [data-step=flaky] .meta')).to.match(/^\d+ ms · 2 attempts$/);
      expect(await page.textContent('#dag [data-step=extract] .meta')).to.match(/^\d+ ms · 1 attempt$/);

      // and a step's actions list their arguments, credentials redacted
      await page.click('#dag [data-step=extract]');
      await page.waitForSelector('#step-actions tr[data-action="pre:IdentityAction"]');
      const args = await page.textContent('#step-actions tr[data-action="pre:IdentityAction"] [data-field=args]');
      expect(args).to.contain('/data/in').and.contain('"password": "***"').and.not.contain(ACTION_PASSWORD);
      expect(page.errors).to.deep.equal([]);
    } finally {
      await page.close();
    }
  });

  it('shows one run\'s log: the attempt clicked only, the flow\'s own lines on a switch, and "never ran" for a timeperiod without runs', async () => {
    const [run] = await t.app.history('retry_once', { timeperiod: '2026112600' });
    const page = await openViewer('/?flow=retry_once&tp=2026112600&step=flaky');
    try {
      // by default the step's latest attempt of the latest run
      await page.waitForSelector(`#step-log[data-run-id="${run.runId}"][data-attempt="2"]`);
      expect(await page.textContent('#step-log'))
        .to.contain('succeeded on attempt 2')
        .and.not.contain('fails on purpose');
      expect(
        await page.$$eval('#log-attempts button', (bs) => bs.map((b) => [b.getAttribute('data-attempt'), b.textContent])),
      ).to.deep.equal([
        ['1', '#1 invalid'],
        ['2', '#2 processed'],
      ]);
      await page.click('#log-attempts button[data-attempt="1"]');
      await page.waitForSelector(`#step-log[data-run-id="${run.runId}"][data-attempt="1"]`);
      const first = await page.textContent('#step-log');
      expect(first).to.contain('fails on purpose').and.not.contain('succeeded on attempt 2');
      expect(first).to.contain(`#${run.runId}]`);
      expect(await page.textContent('#log-source'))
        .to.contain(run.runId)
        .and.contain('attempt 1');

      // the flow's own lines of that run: no step's
      await page.check('#log-flow');
      await page.waitForSelector('#step-log:not([data-attempt="1"])');
      await page.waitForFunction(() => /the flow's own lines/.test(document.getElementById('log-source').textContent));
      const flowLines = await page.textContent('#step-log');
      expect(flowLines).to.contain(`[2026112600#${run.runId}]`).and.not.contain('succeeded on attempt 2');
      expect(await page.$$('#log-attempts button')).to.have.length(0);
      await page.uncheck('#log-flow');

      // a timeperiod that never ran: said in the pane, no error banner
      await page.fill('#timeperiod-input', '2026010100');
      await page.waitForFunction(() => /never ran/.test(document.getElementById('step-log').textContent));
      expect(await page.isHidden('#message')).to.equal(true);
      expect(page.errors).to.deep.equal([]);
    } finally {
      await page.close();
    }
  });

  it('typing a timeperiod shows it, "never ran" included, and Enter starts nothing', async () => {
    const page = await openViewer('/?flow=fail_then_recover&tp=2026112500');
    try {
      await page.waitForSelector('#dag [data-step=load][data-state=invalid]');
      await page.fill('#timeperiod-input', '');
      await page.type('#timeperiod-input', '2026010100');
      await page.press('#timeperiod-input', 'Enter');
      await page.waitForFunction(() => document.getElementById('run-state').textContent === 'never ran');
      expect(await page.$$eval('#dag [data-step]', (nodes) => nodes.map((n) => n.getAttribute('data-state')))).to.deep.equal([
        'embryo',
        'embryo',
        'embryo',
      ]);
      expect(await page.evaluate(() => window.posts)).to.deep.equal([]);
      // one more round trip through the server: a run started by Enter would have its row by now
      await page.evaluate(() => fetch('/api/flows/fail_then_recover/runs').then((r: { json(): unknown }) => r.json()));
      expect((await t.app.runs('fail_then_recover')).map((r) => r.timeperiod).sort()).to.deep.equal(DAYS);

      // a timeperiod that ran: its states; then half a timeperiod and Tab: no colours of either remain
      await page.fill('#timeperiod-input', '2026112500');
      await page.waitForSelector('#dag [data-step=load][data-state=invalid]');
      await page.fill('#timeperiod-input', '202611');
      await page.press('#timeperiod-input', 'Tab');
      await page.waitForFunction(() =>
        [...document.querySelectorAll('#dag [data-step]')].every((n: { dataset: { state: string } }) => n.dataset.state === 'embryo'),
      );
      expect(await page.getAttribute('#run-state', 'class')).to.not.contain('state-invalid');
      expect(await page.getAttribute('#dag [data-node=finish]', 'class')).to.not.contain('state-invalid');
      expect(await page.evaluate(() => window.posts)).to.deep.equal([]);
      expect(page.errors).to.deep.equal([]);
    } finally {
      await page.close();
    }
  });

  it("stays readable at 900 px wide with the side panel open, and the badge speaks the legend's words", async () => {
    const page = await openViewer('/?flow=eight_steps', { width: 900, height: 800 });
    try {
      await page.waitForSelector('#dag [data-step=step_8]');
      await page.click('#dag [data-step=step_4]');
      await page.waitForSelector('#step-panel:not([hidden])');
      const sizes = await page.$$eval('#dag [data-step] text.label', (labels) =>
        labels.map((label) => {
          const scale = label.ownerSVGElement.getScreenCTM().a as number;
          return scale * parseFloat(getComputedStyle(label).fontSize);
        }),
      );
      expect(sizes).to.have.length(8);
      for (const size of sizes) expect(size).to.be.at.least(10);
      const panel = (await page.locator('#step-panel').boundingBox())!;
      expect(panel.x + panel.width).to.be.at.most(900);

      const legend = await page.$$eval('#legend li', (items) => items.map((li) => li.textContent));
      expect(legend).to.include.members(['never ran', 'embryo', 'in progress', 'processed', 'noop', 'invalid', 'canceled']);
      await page.fill('#timeperiod-input', '2026010100');
      await page.waitForFunction(() => document.getElementById('run-state').textContent === 'never ran');
      await page.goto(new URL('/?flow=fail_then_recover&tp=2026112500', viewer.url).href);
      await page.waitForSelector('#run-state.state-invalid');
      expect(legend).to.include(await page.textContent('#run-state'));
      expect(page.errors).to.deep.equal([]);
    } finally {
      await page.close();
    }
  });
});
