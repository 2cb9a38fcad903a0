import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import * as fs from 'node:fs';
import { createTestingApp, type TestingApp } from '../../src/testing';
import type { ViewerServer } from '../../src/viewer';
import { launchChromium } from '../support/headless-chromium';
import { CHROMIUM } from '../support/system-tool';
import { tempSqlite } from '../support/temp-database';
import { VersionedV1, VersionedV2 } from '../support/versioned-flows';
import { http } from './viewer-http';

const TP = '2026112600';

describe('viewer: a step removed from the flow is shown as retired', function () {
  this.timeout(60_000);
  let db: ReturnType<typeof tempSqlite>;
  let t: TestingApp;
  let viewer: ViewerServer;

  before(async () => {
    db = tempSqlite();
    const v1 = await createTestingApp({ flows: [VersionedV1], database: db.database });
    await v1.app.run('versioned', { timeperiod: TP });
    await v1.teardown();
    t = await createTestingApp({ flows: [VersionedV2], database: db.database });
    await t.app.recover('versioned', { timeperiod: TP });
    viewer = await t.app.serve({ port: 0 });
  });

  after(async () => {
    await viewer?.close();
    await t?.teardown();
    db.cleanup();
  });

  it('GET /api/flows/:flow/runs/:tp lists it apart, under retiredSteps, and the run is processed', async () => {
    const { status, body } = await http(viewer.url, 'GET', `/api/flows/versioned/runs/${TP}`);
    expect(status).to.equal(200);
    expect(body.state).to.equal('processed');
    expect(body.steps.map((s: { name: string }) => s.name)).to.deep.equal(['a', 'c']);
    expect(body.retiredSteps).to.have.length(1);
    expect(body.retiredSteps[0]).to.include({ name: 'b', state: 'invalid', attempt: 1, error: 'Error: b is broken: it is being removed' });
  });

  it('the page says which steps are retired', async () => {
    if (!fs.existsSync(CHROMIUM.command))
      throw new Error(`${CHROMIUM.command} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
    const browser: Browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(new URL(`/?flow=versioned&tp=${TP}`, viewer.url).href);
      const line = page.locator('#retired-steps');
      await line.waitFor({ state: 'visible' });
      expect(await line.textContent()).to.equal('retired (no longer in the flow, not counted): b invalid');
    } finally {
      await browser.close();
    }
  });
});
