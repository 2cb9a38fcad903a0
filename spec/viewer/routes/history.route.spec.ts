import { expect } from 'chai';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import type { ViewerServer } from '../../../src/viewer';
import { RetryOnceFlow } from '../retry-once.flow';
import { http } from '../viewer-http';

describe('viewer/routes/history', () => {
  let t: TestingApp;
  let viewer: ViewerServer;

  before(async () => {
    t = await createTestingApp({ flows: [RetryOnceFlow] });
    viewer = await t.app.serve({ port: 0 });
    await t.app.run('retry_once', { timeperiod: '2026112500' });
    await t.app.run('retry_once', { timeperiod: '2026112600' });
  });

  after(async () => {
    await viewer?.close();
    await t?.teardown();
  });

  it("GET /api/flows/:flow/history?timeperiod= gives the run with every step's attempts, in topological order, with durations", async () => {
    const { status, body } = await http(viewer.url, 'GET', '/api/flows/retry_once/history?timeperiod=2026112600');
    expect(status).to.equal(200);
    expect(body.runs).to.have.length(1);
    const [run] = body.runs;
    expect(run).to.include({ timeperiod: '2026112600', runMode: 'run', state: 'processed', trigger: 'api', pid: process.pid });
    expect(run.runId).to.match(/^[0-9a-z]{14}$/);
    expect(run.host).to.be.a('string').and.not.equal('');
    expect(run.instanceId, 'the engine that ran it')
      .to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      .and.equal((await t.app.health()).instanceId);
    expect(run.durationMs).to.equal(Date.parse(run.finishedAt) - Date.parse(run.startedAt));
    expect(run.attempts.map((a: { stepName: string; attempt: number; state: string }) => [a.stepName, a.attempt, a.state])).to.deep.equal([
      ['extract', 1, 'processed'],
      ['flaky', 1, 'invalid'],
      ['flaky', 2, 'processed'],
      ['publish', 1, 'processed'],
    ]);
    expect(run.attempts[1].error).to.include('the first attempt fails on purpose');
    const flaky = run.attempts[2];
    expect(flaky.durationMs).to.equal(Date.parse(flaky.finishedAt) - Date.parse(flaky.startedAt));
    expect(flaky.durationMs).to.be.at.least(25);
  });

  it('lists the runs newest first without a timeperiod, and none for a timeperiod that never ran', async () => {
    const all = await http(viewer.url, 'GET', '/api/flows/retry_once/history?limit=5');
    expect(all.body.runs.map((r: { timeperiod: string }) => r.timeperiod)).to.deep.equal(['2026112600', '2026112500']);
    const older = await http(viewer.url, 'GET', `/api/flows/retry_once/history?before=${all.body.runs[0].runId}`);
    expect(older.body.runs.map((r: { timeperiod: string }) => r.timeperiod)).to.deep.equal(['2026112500']);
    const never = await http(viewer.url, 'GET', '/api/flows/retry_once/history?timeperiod=2026010100');
    expect(never.status).to.equal(200);
    expect(never.body.runs).to.deep.equal([]);
  });

  it("?step= gives the same runs with that step's attempts only, as the log pane asks for them", async () => {
    const { status, body } = await http(viewer.url, 'GET', '/api/flows/retry_once/history?timeperiod=2026112600&limit=1&step=flaky');
    expect(status).to.equal(200);
    const all = await http(viewer.url, 'GET', '/api/flows/retry_once/history?timeperiod=2026112600&limit=1');
    const [run] = all.body.runs;
    expect(body.runs).to.deep.equal([{ ...run, attempts: run.attempts.filter((a: { stepName: string }) => a.stepName === 'flaky') }]);
    expect(body.runs[0].attempts.map((a: { attempt: number; state: string }) => `${a.attempt} ${a.state}`)).to.deep.equal([
      '1 invalid',
      '2 processed',
    ]);
    const unknown = await http(viewer.url, 'GET', '/api/flows/retry_once/history?step=flakey');
    expect(unknown.status).to.equal(404);
    expect(unknown.body.message).to.match(/flow 'retry_once' has no step 'flakey' \(did you mean 'flaky'\?\)/);
  });

  it('refuses a malformed timeperiod or run id (400) and an unknown flow (404)', async () => {
    expect((await http(viewer.url, 'GET', '/api/flows/retry_once/history?before=2026112600')).status).to.equal(400);
    expect((await http(viewer.url, 'GET', '/api/flows/retry_once/history?timeperiod=20261')).status).to.equal(400);
    expect((await http(viewer.url, 'GET', '/api/flows/retry_once/history?limit=0')).status).to.equal(400);
    expect((await http(viewer.url, 'GET', '/api/flows/nope/history')).status).to.equal(404);
  });
});
