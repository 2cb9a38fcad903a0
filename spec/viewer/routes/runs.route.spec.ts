import { expect } from 'chai';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import type { ViewerServer } from '../../../src/viewer';
import { EightStepFlow, FailThenRecoverFlow } from '../../../samples';
import { http } from '../viewer-http';

describe('viewer/routes/runs', () => {
  let t: TestingApp;
  let viewer: ViewerServer;
  const timeperiods = ['2026112300', '2026112400', '2026112500'];

  before(async () => {
    t = await createTestingApp({
      flows: [EightStepFlow, FailThenRecoverFlow],
      settings: { markerFile: '/nonexistent/synergy-flow-viewer-marker' },
    });
    // one run before the viewer exists: its action events were never seen
    await t.app.run('eight_steps', { timeperiod: '2026112200' });
    viewer = await t.app.serve({ port: 0 });
    for (const timeperiod of timeperiods) await t.app.run('eight_steps', { timeperiod });
  });

  after(async () => {
    await viewer.close();
    await t.teardown();
  });

  it('GET /api/flows/:flow/runs pages through the runs, newest timeperiod first', async () => {
    const first = await http(viewer.url, 'GET', '/api/flows/eight_steps/runs?limit=3');
    expect(first.status).to.equal(200);
    expect(first.body).to.include({ flowName: 'eight_steps', limit: 3, offset: 0, hasMore: true });
    expect(first.body.runs.map((r: { timeperiod: string }) => r.timeperiod)).to.deep.equal(['2026112500', '2026112400', '2026112300']);
    const run = first.body.runs[0];
    expect(run).to.include({ state: 'processed', runMode: 'run' });
    expect(run.durationMs).to.equal(new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime());

    const second = await http(viewer.url, 'GET', '/api/flows/eight_steps/runs?limit=3&offset=3');
    expect(second.body.hasMore).to.equal(false);
    expect(second.body.runs.map((r: { timeperiod: string }) => r.timeperiod)).to.deep.equal(['2026112200']);
  });

  it('answers 400 for a page size or offset that is not a whole number in range', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'offset=-1', 'limit=2.5']) {
      const { status, body } = await http(viewer.url, 'GET', `/api/flows/eight_steps/runs?${query}`);
      expect(status, query).to.equal(400);
      expect(body.error, query).to.equal('InvalidRequestError');
      expect(body.message, query).to.match(/must be a whole number from \d+ to \d+/);
    }
    expect((await http(viewer.url, 'GET', '/api/flows/nope/runs')).status).to.equal(404);
  });

  it('GET /api/flows/:flow/runs/:tp gives every step with state, attempt, times and pre/main/post action states', async () => {
    const { status, body } = await http(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026112500');
    expect(status).to.equal(200);
    expect(body).to.include({ flowName: 'eight_steps', timeperiod: '2026112500', state: 'processed' });
    expect(body.steps.map((s: { name: string }) => s.name)).to.deep.equal(t.app.graph('eight_steps').steps);
    const status1 = await t.app.status('eight_steps', '2026112500');
    for (const step of body.steps) {
      const record = status1.steps.find((s) => s.stepName === step.name)!;
      expect(step).to.include({
        state: 'processed',
        attempt: 1,
        startedAt: record.startedAt!.toISOString(),
        finishedAt: record.finishedAt!.toISOString(),
      });
    }
    const step1 = body.steps[0];
    expect(step1.actions.pre).to.deep.equal([
      { name: 'IdentityAction', state: 'completed', inferred: false, durationMs: step1.actions.pre[0].durationMs, error: null },
    ]);
    expect(step1.actions.main).to.include({ name: 'SleepAction', state: 'completed', inferred: false });
    expect(step1.actions.main.durationMs).to.be.at.least(15);
    expect(step1.actions.post.map((a: { state: string }) => a.state)).to.deep.equal(['completed']);
  });

  it('deduces the action states of a run it did not watch from the step states, and says so', async () => {
    const { body } = await http(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026112200');
    expect(body.steps[0].actions.main).to.include({ state: 'completed', inferred: true, durationMs: null });
  });

  it('shows a failed step with its error, the failed action, and the steps that never ran', async () => {
    await t.app.run('fail_then_recover', { timeperiod: '2026112600' });
    const { body } = await http(viewer.url, 'GET', '/api/flows/fail_then_recover/runs/2026112600');
    expect(body.state).to.equal('invalid');
    const [fetch, load, report] = body.steps;
    expect(fetch.state).to.equal('processed');
    expect(load.state).to.equal('invalid');
    expect(load.error).to.contain('upstream data is not delivered yet');
    expect(load.actions.main).to.include({ name: 'run', state: 'failed', inferred: false });
    expect(load.actions.main.error).to.contain('upstream data is not delivered yet');
    expect(report).to.include({ state: 'embryo', startedAt: null });
    expect(report.actions.main).to.include({ state: 'pending' });
  });

  it('answers 400 for a malformed timeperiod and 404 for a run that never happened', async () => {
    const bad = await http(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026133100');
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.equal('InvalidTimeperiodError');
    expect(bad.body.message).to.contain('month 13 does not exist').and.contain('YYYYMMDDHH');

    const never = await http(viewer.url, 'GET', '/api/flows/eight_steps/runs/2020010100');
    expect(never.status).to.equal(404);
    expect(never.body.error).to.equal('FlowRunNotFoundError');

    expect((await http(viewer.url, 'GET', '/api/flows/nope/runs/2026112500')).body.error).to.equal('UnknownFlowError');
  });
});
