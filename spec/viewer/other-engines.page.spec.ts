import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { bootstrap, type SynergyFlowApp } from '../../src';
import type { ViewerServer } from '../../src/viewer';
import { FileGatedFlow } from './file-gated.flow';
import { startOtherEngine, stopAfterHeartbeat } from './other-engine';
import { launchChromium } from '../support/headless-chromium';
import { CHROMIUM, requireSystemTool } from '../support/system-tool';

const TP = '2026120600';

/** What a person sees: the page redraws another process's run as it goes, without a reload. */
describe('viewer page in Chromium: a run of another engine on the database, drawn live', function () {
  this.timeout(60_000);
  let dir: string;
  let app: SynergyFlowApp;
  let viewer: ViewerServer;
  let browser: Browser;
  let page: Page;

  before(async function () {
    requireSystemTool(this, CHROMIUM);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-other-engines-page-'));
    app = await bootstrap({
      flows: [FileGatedFlow],
      database: { type: 'better-sqlite3', database: path.join(dir, 'state.db') },
      logDirectory: path.join(dir, 'logs'),
    });
    viewer = await app.serve({ port: 0, otherEnginesPollMs: 100 });
    browser = await launchChromium();
  });

  after(async () => {
    await page?.close();
    await browser?.close();
    await viewer?.close();
    await app?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("colours the other engine's steps as they start and end, and the run's state, without a reload", async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(new URL(`/?flow=file_gated&tp=${TP}`, viewer.url).href);
    await page.waitForSelector('body[data-live=connected]');
    await page.waitForSelector('#dag [data-step=hold][data-state=embryo]');
    let loads = 0;
    page.on('load', () => loads++);

    const other = startOtherEngine(dir, TP);
    await page.waitForSelector('#dag [data-step=hold][data-state=in_progress]', { timeout: 30_000 });
    await page.waitForSelector('#run-state[data-state=in_progress]', { timeout: 5_000 });
    expect(await page.getAttribute('#dag [data-step=after]', 'data-state')).to.equal('embryo');
    fs.writeFileSync(path.join(dir, 'gate'), '');
    expect(await other.result).to.include({ state: 'processed' });

    await page.waitForSelector('#dag [data-step=after][data-state=processed]', { timeout: 10_000 });
    await page.waitForSelector('#run-state[data-state=processed]', { timeout: 5_000 });
    expect(await page.getAttribute('#dag [data-step=hold]', 'data-state')).to.equal('processed');
    expect(loads, 'never reloaded').to.equal(0);
    expect(errors).to.deep.equal([]);
  });

  it('says "in progress, engine gone" when that engine is killed mid-run, its steps as it left them', async () => {
    const timeperiod = '2026120700';
    // Shut again (the test before opened it): the run holds until it is killed.
    fs.rmSync(path.join(dir, 'gate'), { force: true });
    const other = startOtherEngine(dir, timeperiod, { lease: { ttlMs: 500, heartbeatMs: 100 } });
    await page.goto(new URL(`/?flow=file_gated&tp=${timeperiod}`, viewer.url).href);
    await page.waitForSelector('#dag [data-step=hold][data-state=in_progress]', { timeout: 30_000 });
    process.kill(other.pid, 'SIGKILL');

    const badge = await page.waitForSelector('#run-state[data-engine-gone]', { timeout: 10_000 });
    expect(await badge.textContent()).to.equal('in progress, engine gone');
    expect(await badge.getAttribute('title')).to.match(
      /^its engine is dead \(its (process \d+ is gone|lease expired at \S+ without a heartbeat)\): recover finishes it$/,
    );
    // Later snapshots (the run is read again after each event) keep saying it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await page.getAttribute('#run-state', 'data-engine-gone')).to.not.equal(null);
    expect(await page.getAttribute('#dag [data-step=hold]', 'data-state'), 'as the dead engine left it').to.equal('in_progress');

    // A page opened now (the first one still listening: the stream tells it nothing more) reads it from the run's snapshot.
    const later = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    try {
      await later.goto(new URL(`/?flow=file_gated&tp=${timeperiod}`, viewer.url).href);
      const laterBadge = await later.waitForSelector('#run-state[data-engine-gone]', { timeout: 10_000 });
      expect(await laterBadge.textContent()).to.equal('in progress, engine gone');
    } finally {
      await later.close();
    }
  });
  it('says "in progress" again when a hung engine comes back (SIGSTOP, then SIGCONT), and draws what it runs from then on', async () => {
    const timeperiod = '2026120800';
    fs.rmSync(path.join(dir, 'gate'), { force: true });
    const other = startOtherEngine(dir, timeperiod, { lease: { ttlMs: 500, heartbeatMs: 100 } });
    try {
      await page.goto(new URL(`/?flow=file_gated&tp=${timeperiod}`, viewer.url).href);
      await page.waitForSelector('#dag [data-step=hold][data-state=in_progress]', { timeout: 30_000 });
      await stopAfterHeartbeat(other, { type: 'better-sqlite3', database: path.join(dir, 'state.db') }, timeperiod);
      const badge = await page.waitForSelector('#run-state[data-engine-gone]', { timeout: 10_000 });
      expect(await badge.textContent()).to.equal('in progress, engine gone');

      process.kill(other.pid, 'SIGCONT');
      await page.waitForSelector('#run-state[data-state=in_progress]:not([data-engine-gone])', { timeout: 10_000 });
      expect(await page.textContent('#run-state')).to.equal('in progress');
      expect(await page.getAttribute('#dag [data-step=hold]', 'data-state'), 'its step as the engine has it').to.equal('in_progress');

      fs.writeFileSync(path.join(dir, 'gate'), '');
      await page.waitForSelector('#dag [data-step=after][data-state=processed]', { timeout: 10_000 });
      await page.waitForSelector('#run-state[data-state=processed]', { timeout: 5_000 });
      expect((await other.result).state).to.equal('processed');
    } finally {
      other.kill();
    }
  });
});
