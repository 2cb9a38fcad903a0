import { expect } from 'chai';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import type { ViewerServer } from '../../../src/viewer';
import { EightStepFlow } from '../../../samples';
import { http } from '../viewer-http';

describe('viewer/routes/step-log', () => {
  let t: TestingApp;
  let viewer: ViewerServer;

  before(async () => {
    t = await createTestingApp({ flows: [EightStepFlow] });
    viewer = await t.app.serve({ port: 0 });
  });

  after(async () => {
    await viewer.close();
    await t.teardown();
  });

  it('says there is no log yet for a step that never ran', async () => {
    const { status, body } = await http(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026112600/steps/step_3/log');
    expect(status).to.equal(200);
    expect(body).to.include({ stepName: 'step_3', exists: false, text: '', size: 0 });
  });

  it("returns the step's log lines once it ran", async () => {
    await t.app.run('eight_steps', { timeperiod: '2026112600' });
    const { status, body } = await http(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026112600/steps/step_1/log');
    expect(status).to.equal(200);
    expect(body).to.include({ flowName: 'eight_steps', timeperiod: '2026112600', stepName: 'step_1', exists: true, truncated: false });
    expect(body.text).to.match(/ step_1 INFO attempt 1 started on cluster /);
    expect(body.text).to.match(/ step_1\.SleepAction INFO completed in /);
    expect(body.text).to.match(/ step_1 INFO processed in [\d.]+ ms\n$/);
    expect(body.text).to.not.contain('step_2');
  });

  it('keeps only the newest whole lines within maxBytes', async () => {
    const full = (await http(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026112600/steps/step_1/log')).body;
    const { body } = await http(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026112600/steps/step_1/log?maxBytes=120');
    expect(body.truncated).to.equal(true);
    expect(body.size).to.equal(full.size);
    expect(Buffer.byteLength(body.text)).to.be.at.most(120);
    expect(full.text.endsWith(body.text)).to.equal(true);
    expect(full.text.charAt(full.text.length - body.text.length - 1)).to.equal('\n');
  });

  it('refuses unknown steps (404), path tricks included, and malformed timeperiods (400)', async () => {
    for (const step of ['nope', '..%2F..%2Feight_steps', '..%2Fstep_1', 'step_1%00']) {
      const { status, body } = await http(viewer.url, 'GET', `/api/flows/eight_steps/runs/2026112600/steps/${step}/log`);
      expect(status, step).to.equal(404);
      expect(body.error, step).to.equal('UnknownStepError');
    }
    const flow = await http(viewer.url, 'GET', '/api/flows/..%2Feight_steps/runs/2026112600/steps/step_1/log');
    expect(flow.status).to.equal(404);
    expect(flow.body.error).to.equal('UnknownFlowError');
    const tp = await http(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026022900/steps/step_1/log');
    expect(tp.status).to.equal(400);
    expect(tp.body.error).to.equal('InvalidTimeperiodError');
    expect((await http(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026112600/steps/step_1/log?maxBytes=0')).status).to.equal(400);
  });
});
