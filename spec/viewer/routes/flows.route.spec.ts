import { expect } from 'chai';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import type { ViewerServer } from '../../../src/viewer';
import { EightStepFlow, FailThenRecoverFlow } from '../../../samples';
import { http } from '../viewer-http';
import { ACTION_PASSWORD, RetryOnceFlow } from '../retry-once.flow';

describe('viewer/routes/flows', () => {
  let t: TestingApp;
  let viewer: ViewerServer;

  before(async () => {
    t = await createTestingApp({ flows: [EightStepFlow, FailThenRecoverFlow, RetryOnceFlow] });
    viewer = await t.app.serve({ port: 0 });
  });

  after(async () => {
    await viewer.close();
    await t.teardown();
  });

  it('GET /api/flows lists every flow with its step count and latest run', async () => {
    const before = await http(viewer.url, 'GET', '/api/flows');
    expect(before.status).to.equal(200);
    expect(
      before.body.flows.map((f: { name: string; stepCount: number; latestRun: unknown }) => [f.name, f.stepCount, f.latestRun]),
    ).to.deep.equal([
      ['eight_steps', 8, null],
      ['fail_then_recover', 3, null],
      ['retry_once', 3, null],
    ]);

    await t.app.run('eight_steps', { timeperiod: '2026112600' });
    await t.app.run('eight_steps', { timeperiod: '2026112700' });
    const after = await http(viewer.url, 'GET', '/api/flows');
    const latest = after.body.flows[0].latestRun;
    expect(latest).to.include({ timeperiod: '2026112700', state: 'processed', runMode: 'run' });
    expect(latest.durationMs).to.be.a('number').at.least(0);
  });

  it('GET /api/flows/:flow returns the definition and the graph framed by start and finish', async () => {
    const { status, body } = await http(viewer.url, 'GET', '/api/flows/eight_steps');
    expect(status).to.equal(200);
    expect(body.graph.nodes).to.deep.equal([
      'start',
      'step_1',
      'step_2',
      'step_3',
      'step_4',
      'step_5',
      'step_6',
      'step_7',
      'step_8',
      'finish',
    ]);
    const edges = body.graph.edges.map((e: { from: string; to: string }) => `${e.from}->${e.to}`);
    expect(edges).to.have.members([
      'start->step_1',
      'step_1->step_2',
      'step_2->step_3',
      'step_2->step_4',
      'step_3->step_5',
      'step_4->step_5',
      'step_2->step_6',
      'step_6->step_7',
      'step_7->step_8',
      'step_5->finish',
      'step_8->finish',
    ]);
    expect(body.graph.dot).to.equal(t.app.graph('eight_steps').toDot('eight_steps'));
    const step1 = body.steps.find((s: { name: string }) => s.name === 'step_1');
    expect(step1.pre.map((a: { name: string }) => a.name)).to.deep.equal(['IdentityAction']);
    expect(step1.main).to.include({ name: 'SleepAction', phase: 'main', kind: 'class' });
    expect(step1.main.args).to.deep.equal({ ms: 20 });
    expect(step1.pre[0].args).to.equal(null);
  });

  it('shows action arguments with credentials redacted and functions of the context named, never called', async () => {
    const { body, text } = await http(viewer.url, 'GET', '/api/flows/retry_once');
    expect(text).to.not.contain(ACTION_PASSWORD);
    const extract = body.steps.find((s: { name: string }) => s.name === 'extract');
    expect(extract.pre[0].args).to.deep.equal({ source: '/data/in', password: '***', credentials: '***' });
    expect(extract.main.args).to.equal(null);
    const publish = body.steps.find((s: { name: string }) => s.name === 'publish');
    expect(publish.main.args).to.equal('(computed from the step context when the step runs)');
  });

  it('answers 404 with UnknownFlowError for a flow that is not registered', async () => {
    const { status, body } = await http(viewer.url, 'GET', '/api/flows/nope');
    expect(status).to.equal(404);
    expect(body.error).to.equal('UnknownFlowError');
    expect(body.code).to.equal('ERR_SYNERGY_UNKNOWN_FLOW');
    expect(body.message).to.contain("unknown flow 'nope'").and.contain("'eight_steps'");
  });

  it('answers 404 in JSON for an unknown route, and serves the page and its scripts', async () => {
    const missing = await http(viewer.url, 'GET', '/api/nothing-here');
    expect(missing.status).to.equal(404);
    expect(missing.body.error).to.equal('NotFound');

    const page = await http(viewer.url, 'GET', '/');
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.contain('text/html');
    expect(page.headers.get('content-security-policy')).to.contain("script-src 'self'");
    expect(page.text).to.contain('/assets/main.js');

    for (const asset of ['main.js', 'dag.view.js', 'dagre.min.js', 'viewer.css']) {
      const res = await http(viewer.url, 'GET', `/assets/${asset}`);
      expect(res.status, asset).to.equal(200);
    }
    expect((await http(viewer.url, 'GET', '/assets/..%2F..%2Fpackage.json')).status).to.equal(404);
  });
});
