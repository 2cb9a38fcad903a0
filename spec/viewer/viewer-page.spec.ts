import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { createTestingApp, type TestingApp } from '../../src/testing';
import type { ViewerServer } from '../../src/viewer';
import { EightStepFlow, FailThenRecoverFlow } from '../../samples';
import { Gate, GatedFlow } from './gated.flow';
import { launchChromium } from '../support/headless-chromium';
import { CHROMIUM, requireSystemTool } from '../support/system-tool';
import { EIGHT_STEP_EDGES } from '../support/eight-step-edges';

/**
 * The README's screenshot is this test's: `SYNERGY_UPDATE_SCREENSHOT=1 npm test` refreshes
 * docs/viewer.png; an ordinary run writes to the temp dir so that tests leave the tree clean.
 */
const SCREENSHOT = process.env.SYNERGY_UPDATE_SCREENSHOT
  ? path.resolve(__dirname, '../../../docs/viewer.png')
  : path.join(os.tmpdir(), `synergy-flow-viewer-${process.pid}.png`);
const TOKEN = 'viewer-browser-token-42';

/*
 * The functions passed to page.evaluate run in the browser; the Node program has no DOM types, so
 * they are declared loosely here, for this file only.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any, MutationObserver: any;
interface DomNode {
  dataset: Record<string, string | undefined>;
}

const stepStates = (page: Page) =>
  page.$$eval('#dag [data-step]', (nodes) => nodes.map((n) => [(n as DomNode).dataset.step!, (n as DomNode).dataset.state!]));

/** Records every data-state change of the DAG's nodes, with the value it replaced, from now on. */
const recordTransitions = (page: Page) =>
  page.evaluate(() => {
    const seen: Array<[string, string | null]> = [];
    window.transitions = seen;
    new MutationObserver((records: Array<{ target: DomNode; oldValue: string | null }>) => {
      for (const r of records) seen.push([r.target.dataset.step ?? '', r.oldValue]);
    }).observe(document.getElementById('dag'), {
      subtree: true,
      attributes: true,
      attributeFilter: ['data-state'],
      attributeOldValue: true,
    });
  });

/** Each step's successive states since recordTransitions, its current one last. */
const transitionsByStep = (page: Page) =>
  page.evaluate(() => {
    const seen: Array<[string, string | null]> = window.transitions;
    const byStep: Record<string, string[]> = {};
    for (const [step, old] of seen) (byStep[step] ??= []).push(old ?? '');
    for (const node of document.querySelectorAll('#dag [data-step]') as DomNode[])
      (byStep[node.dataset.step!] ??= []).push(node.dataset.state!);
    return byStep;
  });

describe('viewer page in Chromium', function () {
  this.timeout(60_000);
  let t: TestingApp;
  let viewer: ViewerServer;
  let browser: Browser;
  let markerDir: string;
  let markerFile: string;

  before(async function () {
    requireSystemTool(this, CHROMIUM);
    markerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-viewer-page-'));
    markerFile = path.join(markerDir, 'upstream.ready');
    t = await createTestingApp({ flows: [EightStepFlow, FailThenRecoverFlow], settings: { markerFile } });
    viewer = await t.app.serve({ port: 0 });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await viewer?.close();
    await t?.teardown();
    if (markerDir) fs.rmSync(markerDir, { recursive: true, force: true });
  });

  /** A page on the viewer with its event stream open, so no event after this is missed. */
  async function openViewer(query: string, base = viewer.url): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    (page as Page & { errors: string[] }).errors = errors;
    await page.goto(new URL(query, base).href);
    await page.waitForSelector('body[data-live=connected]');
    return page;
  }

  describe('the 8-step sample', () => {
    let page: Page;

    before(async () => {
      page = await openViewer('/?flow=eight_steps&tp=2026112600');
      await page.waitForSelector('#dag [data-step=step_8]');
    });

    after(() => page?.close());

    it('shows every step as a node, laid out left to right between start and finish', async () => {
      expect(await stepStates(page)).to.deep.equal(t.app.graph('eight_steps').steps.map((s) => [s, 'embryo']));
      expect(await page.locator('#dag [data-node=start]').count()).to.equal(1);
      expect(await page.locator('#dag [data-node=finish]').count()).to.equal(1);
      const edges = await page.$$eval('#dag path.edge', (paths) =>
        paths.map((p) => `${p.getAttribute('data-from')}->${p.getAttribute('data-to')}`),
      );
      expect(edges).to.have.members(['start->step_1', ...EIGHT_STEP_EDGES, 'step_5->finish', 'step_8->finish']);
      // dagre ranks dependencies before dependents: every edge points rightwards
      const x = async (selector: string) => (await page.locator(selector).boundingBox())!.x;
      expect(await x('[data-node=start]')).to.be.below(await x('[data-step=step_1]'));
      expect(await x('[data-step=step_2]')).to.be.below(await x('[data-step=step_3]'));
      expect(await x('[data-step=step_7]')).to.be.below(await x('[data-step=step_8]'));
      expect(await x('[data-step=step_8]')).to.be.below(await x('[data-node=finish]'));
    });

    it('runs the flow from the Run button and turns the nodes processed live, without a reload', async () => {
      let navigations = 0;
      page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);
      await page.evaluate(() => (window.sameDocument = true));
      await recordTransitions(page);

      await page.click('#run-button');
      await page.waitForFunction(() =>
        [...(document.querySelectorAll('#dag [data-step]') as DomNode[])].every((n) => n.dataset.state === 'processed'),
      );

      const byStep = await transitionsByStep(page);
      for (const step of t.app.graph('eight_steps').steps) {
        const states = byStep[step];
        // each node showed the step running before it showed it done: the page followed the events
        expect(states, step).to.include('in_progress');
        expect(states.indexOf('in_progress'), step).to.be.below(states.lastIndexOf('processed'));
        expect(states.at(-1), step).to.equal('processed');
      }
      expect(navigations).to.equal(0);
      expect(await page.evaluate(() => window.sameDocument)).to.equal(true);
      await page.waitForSelector('#run-state.state-processed');
      await page.waitForSelector('#dag [data-node=finish][data-state=processed]');
      await page.waitForSelector('#run-list [data-timeperiod="2026112600"] .state-processed');
      const status = await t.app.status('eight_steps', '2026112600');
      expect(status.steps.every((s) => s.state === 'processed')).to.equal(true);
    });

    it("opens a step's details, action states and log in the side panel", async () => {
      // The pane's lookup of the latest run: the history of that step's attempts only, not every step's.
      const latestRunLookups: string[] = [];
      const recordLookup = (request: { url(): string }) => {
        const url = new URL(request.url());
        if (url.pathname.endsWith('/history') && url.searchParams.get('limit') === '1') latestRunLookups.push(url.search);
      };
      page.on('request', recordLookup);
      try {
        await page.click('#dag [data-step=step_1]');
        await page.waitForFunction(() => /step_1 INFO \[\S+\] processed in/.test(document.getElementById('step-log')!.textContent ?? ''));
      } finally {
        // The page lives on for the next cases: they must not feed this one's list.
        page.off('request', recordLookup);
      }
      expect(latestRunLookups).to.not.be.empty;
      for (const search of latestRunLookups) expect(new URLSearchParams(search).get('step'), search).to.equal('step_1');
      expect(await page.textContent('#step-title')).to.equal('step_1');
      expect(await page.textContent('#step-details [data-field=state]')).to.equal('processed');
      const actions = await page.$$eval('#step-actions tbody tr', (rows) =>
        rows.map((r) => `${(r as unknown as DomNode).dataset.action}=${(r as unknown as DomNode).dataset.state}`),
      );
      expect(actions).to.deep.equal(['pre:IdentityAction=completed', 'main:SleepAction=completed', 'post:IdentityAction=completed']);
      expect(await page.textContent('#step-log')).to.match(/step_1\.SleepAction INFO \[\S+\] completed in/);
      expect(new URL(page.url()).searchParams.get('step')).to.equal('step_1');
      expect(await page.getAttribute('#dag [data-step=step_1]', 'class')).to.contain('selected');

      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
      expect(fs.statSync(SCREENSHOT).size).to.be.greaterThan(10_000);
      if (!process.env.SYNERGY_UPDATE_SCREENSHOT) fs.rmSync(SCREENSHOT, { force: true });
      expect((page as Page & { errors: string[] }).errors).to.deep.equal([]);
    });
  });

  describe('a failing sample', () => {
    it('marks the failed node, and Run from on it completes the flow', async () => {
      const page = await openViewer('/?flow=fail_then_recover&tp=2026112600');
      try {
        await page.waitForSelector('#dag [data-step=report]');
        await page.click('#run-button');
        await page.waitForSelector('#dag [data-step=load][data-state=invalid]');
        expect(await page.getAttribute('#dag [data-step=load]', 'class')).to.contain('state-invalid');
        expect(await page.textContent('#dag [data-step=load] .mark')).to.equal('✕');
        await page.waitForSelector('#run-state.state-invalid');
        expect(Object.fromEntries(await stepStates(page))).to.deep.equal({ fetch: 'processed', load: 'invalid', report: 'embryo' });

        await page.click('#dag [data-step=load]');
        await page.waitForFunction(() =>
          /upstream data is not delivered yet/.test(document.querySelector('#step-details [data-field=error]')?.textContent ?? ''),
        );
        await page.waitForFunction(() => /load INFO|load ERROR/.test(document.getElementById('step-log')!.textContent ?? ''));

        fs.writeFileSync(markerFile, 'delivered');
        await recordTransitions(page);
        await page.click('#run-from-button');
        await page.waitForSelector('#dag [data-step=report][data-state=processed]');
        await page.waitForSelector('#run-state.state-processed');
        const byStep = await transitionsByStep(page);
        expect(byStep.load).to.include('in_progress');
        expect(byStep.load.at(-1)).to.equal('processed');
        expect(byStep.fetch ?? ['processed'], 'run-from leaves the processed dependency alone').to.not.include('in_progress');
        expect(await page.textContent('#dag [data-step=load] .mark')).to.equal('');

        const status = await t.app.status('fail_then_recover', '2026112600');
        expect(status.flow).to.include({ state: 'processed', runMode: 'run_from' });
        expect(status.steps.map((s) => s.state)).to.deep.equal(['processed', 'processed', 'processed']);
      } finally {
        fs.rmSync(markerFile, { force: true });
        await page.close();
      }
    });
  });

  describe('the run buttons', () => {
    it('shows why a button was refused, and cancels a run from the page', async () => {
      Gate.close();
      const gated = await createTestingApp({ flows: [GatedFlow] });
      const gatedViewer = await gated.app.serve({ port: 0 });
      const page = await openViewer('/?flow=gated&tp=2026112600', gatedViewer.url);
      try {
        await page.waitForSelector('#dag [data-step=after]');
        await page.click('#run-button');
        await page.waitForSelector('#dag [data-step=hold][data-state=in_progress]');
        await page.click('#run-button');
        await page.waitForSelector('#message[data-error=FlowLockedError]');
        expect(await page.textContent('#message')).to.contain('is already running');

        await page.click('#cancel-button');
        await page.waitForSelector('#dag [data-step=hold][data-state=canceled]');
        await page.waitForSelector('#run-state.state-invalid');
        expect((await gated.app.status('gated', '2026112600')).flow.state).to.equal('invalid');
      } finally {
        Gate.release();
        await page.close();
        await gatedViewer.close();
        await gated.teardown();
      }
    });
  });

  describe('a viewer with a token', () => {
    it('asks for the token of a protected viewer, then shows the flows with it', async () => {
      const guarded = await t.app.serve({ port: 0, token: TOKEN });
      const page = await browser.newPage();
      try {
        await page.goto(guarded.url);
        await page.waitForSelector('#token-form:not([hidden])');
        expect(await page.locator('#flow-list li').count()).to.equal(0);
        await page.fill('#token-input', TOKEN);
        await page.click('#token-form button[type=submit]');
        await page.waitForSelector('#flow-list [data-flow=eight_steps]');
        await page.waitForSelector('body[data-live=connected]');
        await page.waitForSelector('#dag [data-step=step_8]');
        expect(await page.isHidden('#token-form')).to.equal(true);
      } finally {
        await page.close();
        await guarded.close();
      }
    });
  });
});
