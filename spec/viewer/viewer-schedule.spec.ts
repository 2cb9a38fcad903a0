import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { createTestingApp, type TestingApp } from '../../src/testing';
import type { ViewerServer } from '../../src/viewer';
import { DailyRollupFlow, HourlyIngestFlow } from '../../samples';
import { launchChromium } from '../support/headless-chromium';
import { CHROMIUM, requireSystemTool } from '../support/system-tool';
import { RetryOnceFlow } from './retry-once.flow';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;

describe("viewer page's schedule panel, in Chromium", function () {
  this.timeout(90_000);
  let t: TestingApp;
  let viewer: ViewerServer;
  let browser: Browser;
  let dir: string;

  before(async function () {
    requireSystemTool(this, CHROMIUM);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-viewer-schedule-'));
    t = await createTestingApp({ flows: [HourlyIngestFlow, DailyRollupFlow, RetryOnceFlow], settings: { dataDirectory: dir } });
    await t.app.run('hourly_ingest', { timeperiod: '2026120100', trigger: 'scheduler' });
    viewer = await t.app.serve({ port: 0, token: 'schedule-panel-token' });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await viewer?.close();
    await t?.teardown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function openViewer(query: string): Promise<Page & { errors: string[] }> {
    const page = (await browser.newPage({ viewport: { width: 1280, height: 760 } })) as Page & { errors: string[] };
    page.errors = [];
    page.on('pageerror', (err) => page.errors.push(err.message));
    await page.goto(new URL(`${query}#token=schedule-panel-token`, viewer.url).href);
    await page.waitForSelector('body[data-live=connected]');
    return page;
  }

  it('shows a scheduled flow its schedule in words and next periods, and pauses and resumes it with the switch', async () => {
    const page = await openViewer('/?flow=daily_rollup');
    try {
      await page.waitForSelector('#schedule-panel[data-flow=daily_rollup]:not([hidden])');
      await page.click('#schedule-panel summary');
      expect(await page.textContent('#schedule-words'))
        .to.contain('every day from 2026120100')
        .and.contain('after hourly_ingest');
      expect(await page.textContent('#schedule-state')).to.equal('active');
      const first = await page.$eval('#schedule-periods tr', (tr) => ({
        timeperiod: tr.getAttribute('data-timeperiod'),
        status: tr.getAttribute('data-status'),
        due: tr.querySelector('[data-field=due]')!.textContent,
        why: tr.querySelector('[data-field=why]')!.textContent,
      }));
      expect(first).to.include({ timeperiod: '2026120100', status: 'due' });
      expect(first.due).to.not.equal('');
      expect(first.why).to.contain('once hourly_ingest processed its period');

      await page.click('#schedule-toggle');
      await page.waitForSelector('#schedule-panel[data-paused=true]');
      expect(await t.app.scheduler().isPaused('daily_rollup')).to.equal(true);
      expect(await page.textContent('#schedule-state')).to.equal('paused');
      expect(await page.textContent('#schedule-toggle')).to.equal('Resume schedule');
      expect(await page.textContent('#schedule-periods tr [data-field=why]')).to.equal(
        'due; held: the schedule is paused (resume it to go on)',
      );

      await page.click('#schedule-toggle');
      await page.waitForSelector('#schedule-panel[data-paused=false]');
      expect(await t.app.scheduler().isPaused('daily_rollup')).to.equal(false);
      // the viewer never ticks: nothing was started
      expect(await t.app.runs('daily_rollup')).to.deep.equal([]);
      expect(page.errors).to.deep.equal([]);
    } finally {
      await page.close();
    }
  });

  it('shows nothing of a schedule for a flow without one', async () => {
    const page = await openViewer('/?flow=hourly_ingest');
    try {
      await page.waitForSelector('#schedule-panel[data-flow=hourly_ingest]:not([hidden])');
      await page.click('#flow-list li:has-text("retry_once")');
      await page.waitForFunction(() => document.getElementById('run-title').textContent === 'retry_once');
      await page.waitForSelector('#schedule-panel[hidden]', { state: 'attached' });
      expect(await page.isHidden('#schedule-panel')).to.equal(true);
      expect(await page.isHidden('#message')).to.equal(true);
      expect(page.errors).to.deep.equal([]);
    } finally {
      await page.close();
    }
  });
});
