import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { bootstrap, type SynergyFlowApp } from '../../src';
import type { ViewerServer } from '../../src/viewer';
import { FileGatedFlow } from './file-gated.flow';
import { launchChromium } from '../support/headless-chromium';
import { CHROMIUM, requireSystemTool } from '../support/system-tool';

const OTHER_ENGINE = path.resolve(__dirname, 'fixtures/other-engine.process.js');
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

    const other = promisify(execFile)(process.execPath, ['--enable-source-maps', OTHER_ENGINE, dir, TP]);
    await page.waitForSelector('#dag [data-step=hold][data-state=in_progress]', { timeout: 30_000 });
    await page.waitForSelector('#run-state[data-state=in_progress]', { timeout: 5_000 });
    expect(await page.getAttribute('#dag [data-step=after]', 'data-state')).to.equal('embryo');
    fs.writeFileSync(path.join(dir, 'gate'), '');
    expect(JSON.parse((await other).stdout)).to.include({ state: 'processed' });

    await page.waitForSelector('#dag [data-step=after][data-state=processed]', { timeout: 10_000 });
    await page.waitForSelector('#run-state[data-state=processed]', { timeout: 5_000 });
    expect(await page.getAttribute('#dag [data-step=hold]', 'data-state')).to.equal('processed');
    expect(loads, 'never reloaded').to.equal(0);
    expect(errors).to.deep.equal([]);
  });
});
