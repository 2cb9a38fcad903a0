import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { filter, firstValueFrom } from 'rxjs';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import type { ViewerServer } from '../../../src/viewer';
import { EightStepFlow, FailThenRecoverFlow } from '../../../samples';
import { Gate, GatedFlow } from '../gated.flow';
import { http, runEnd, type RequestOptions } from '../viewer-http';

describe('viewer/routes/run-commands', () => {
  let t: TestingApp;
  let viewer: ViewerServer;
  let markerDir: string;
  let markerFile: string;

  before(async () => {
    markerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-viewer-'));
    markerFile = path.join(markerDir, 'upstream.ready');
    t = await createTestingApp({ flows: [EightStepFlow, FailThenRecoverFlow, GatedFlow], settings: { markerFile } });
    viewer = await t.app.serve({ port: 0 });
  });

  after(async () => {
    Gate.release();
    await viewer.close();
    await t.teardown();
    fs.rmSync(markerDir, { recursive: true, force: true });
  });

  const runsOf = async (flow: string) => (await http(viewer.url, 'GET', `/api/flows/${flow}/runs`)).body.runs;

  it('POST run answers 202 while the run goes on, and the run completes', async () => {
    Gate.close();
    const ended = runEnd(t.app, 'gated', '2026112600');
    const res = await http(viewer.url, 'POST', '/api/flows/gated/runs/2026112600/run');
    expect(res.status).to.equal(202);
    const { runId, ...rest } = res.body as { runId: string };
    expect(rest).to.deep.equal({ flowName: 'gated', timeperiod: '2026112600', runMode: 'run', state: 'in_progress' });
    // the answer came while the first step is held: the request did not wait for the run
    expect((await t.app.status('gated', '2026112600')).flow.state).to.equal('in_progress');
    Gate.release();
    const end = await ended;
    expect(end.state).to.equal('processed');
    // the id the button answered with is the run's, as its events name it
    expect(end.runId).to.equal(runId);
  });

  it('answers 409 FlowLockedError for a run already going, and cancel stops it', async () => {
    Gate.close();
    const ended = runEnd(t.app, 'gated', '2026112700');
    const holding = firstValueFrom(
      t.app.events$.pipe(
        filter((e) => e.type === 'step' && e.timeperiod === '2026112700' && e.stepName === 'hold' && e.state === 'in_progress'),
      ),
    );
    expect((await http(viewer.url, 'POST', '/api/flows/gated/runs/2026112700/run')).status).to.equal(202);
    await holding;

    for (const command of ['run', 'recover', 'steps/hold/run-one', 'steps/hold/run-from']) {
      const locked = await http(viewer.url, 'POST', `/api/flows/gated/runs/2026112700/${command}`);
      expect(locked.status, command).to.equal(409);
      expect(locked.body.error, command).to.equal('FlowLockedError');
      expect(locked.body.code, command).to.equal('ERR_SYNERGY_FLOW_LOCKED');
      expect(locked.body.message, command).to.contain('is already running');
    }

    const cancel = await http(viewer.url, 'POST', '/api/flows/gated/runs/2026112700/cancel');
    expect(cancel.status).to.equal(202);
    expect(cancel.body).to.include({ cancelled: true });
    expect((await ended).state).to.equal('invalid');
    const steps = (await t.app.status('gated', '2026112700')).steps;
    const hold = steps.find((s) => s.stepName === 'hold')!;
    expect(hold.state).to.equal('canceled');
    expect(hold.error).to.match(/^FlowCancelledError: .*cancelled from the viewer/);
    expect(steps.find((s) => s.stepName === 'after')!.state).to.equal('embryo');
  });

  it('answers 409 FlowNotRunningError to cancel a run that is not running', async () => {
    const { status, body } = await http(viewer.url, 'POST', '/api/flows/gated/runs/2026112800/cancel');
    expect(status).to.equal(409);
    expect(body.error).to.equal('FlowNotRunningError');
    expect(body.code).to.equal('ERR_SYNERGY_FLOW_NOT_RUNNING');
    expect(body.message).to.contain('nothing to cancel');
  });

  it('runs a failing flow, then run-from on the failed step completes it; run-one reruns one step', async () => {
    let ended = runEnd(t.app, 'fail_then_recover', '2026112600');
    expect((await http(viewer.url, 'POST', '/api/flows/fail_then_recover/runs/2026112600/run')).status).to.equal(202);
    expect((await ended).state).to.equal('invalid');

    fs.writeFileSync(markerFile, 'ready');
    ended = runEnd(t.app, 'fail_then_recover', '2026112600');
    const from = await http(viewer.url, 'POST', '/api/flows/fail_then_recover/runs/2026112600/steps/load/run-from', {
      body: { clusters: 1 },
    });
    expect(from.status).to.equal(202);
    expect(from.body).to.include({ runMode: 'run_from', stepName: 'load' });
    expect((await ended).state).to.equal('processed');
    const afterFrom = await t.app.status('fail_then_recover', '2026112600');
    expect(afterFrom.steps.map((s) => s.state)).to.deep.equal(['processed', 'processed', 'processed']);

    ended = runEnd(t.app, 'fail_then_recover', '2026112600');
    const one = await http(viewer.url, 'POST', '/api/flows/fail_then_recover/runs/2026112600/steps/report/run-one');
    expect(one.status).to.equal(202);
    expect(one.body).to.include({ runMode: 'run_one', stepName: 'report' });
    expect(await ended).to.include({ runMode: 'run_one', state: 'processed' });
    fs.rmSync(markerFile);
  });

  it('POST recover runs what is left of an invalid run', async () => {
    let ended = runEnd(t.app, 'fail_then_recover', '2026112700');
    await http(viewer.url, 'POST', '/api/flows/fail_then_recover/runs/2026112700/run');
    expect((await ended).state).to.equal('invalid');
    fs.writeFileSync(markerFile, 'ready');
    ended = runEnd(t.app, 'fail_then_recover', '2026112700');
    const res = await http(viewer.url, 'POST', '/api/flows/fail_then_recover/runs/2026112700/recover', { body: { failFast: false } });
    expect(res.status).to.equal(202);
    expect(res.body.runMode).to.equal('recover');
    expect((await ended).state).to.equal('processed');
    fs.rmSync(markerFile);
  });

  it('refuses bad requests with 400/404/409 and writes nothing', async () => {
    const before = await runsOf('eight_steps');
    const cases: Array<[string, number, string, RequestOptions?]> = [
      ['/api/flows/eight_steps/runs/2026113100/run', 400, 'InvalidTimeperiodError'],
      ['/api/flows/eight_steps/runs/2026112600/run', 400, 'InvalidRequestError', { body: { clusters: 0 } }],
      ['/api/flows/eight_steps/runs/2026112600/run', 400, 'InvalidRequestError', { body: { failFast: 'no' } }],
      ['/api/flows/eight_steps/runs/2026112600/run', 400, 'InvalidRequestError', { body: { timeperiod: '2026112600' } }],
      ['/api/flows/eight_steps/runs/2026112600/run', 400, 'InvalidRequestError', { rawBody: '{"clusters":' }],
      ['/api/flows/eight_steps/runs/2026112600/run', 400, 'InvalidRequestError', { rawBody: '[]' }],
      ['/api/flows/eight_steps/runs/2026112600/run', 400, 'InvalidRequestError', { contentType: 'text/plain', rawBody: '{}' }],
      ['/api/flows/eight_steps/runs/2026112600/run', 400, 'InvalidRequestError', { contentType: null, rawBody: null }],
      ['/api/flows/nope/runs/2026112600/run', 404, 'UnknownFlowError'],
      ['/api/flows/eight_steps/runs/2026112600/steps/nope/run-one', 404, 'UnknownStepError'],
      ['/api/flows/eight_steps/runs/2026112600/steps/..%2Fstep_1/run-from', 404, 'UnknownStepError'],
      ['/api/flows/eight_steps/runs/2026112600/recover', 404, 'FlowRunNotFoundError'],
      ['/api/flows/eight_steps/runs/2026112600/steps/step_2/run-one', 409, 'StepBlockedError'],
      ['/api/flows/eight_steps/runs/2026112600/steps/step_5/run-from', 409, 'StepBlockedError'],
    ];
    for (const [url, status, error, options] of cases) {
      const res = await http(viewer.url, 'POST', url, options);
      expect(res.status, `${url} ${JSON.stringify(options)}`).to.equal(status);
      expect(res.body.error, url).to.equal(error);
      expect(res.body.message, url).to.be.a('string').and.not.be.empty;
    }
    expect(await runsOf('eight_steps')).to.deep.equal(before);
    expect((await http(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026112600')).status).to.equal(404);
  });

  it('accepts an empty JSON body as no options', async () => {
    const ended = runEnd(t.app, 'eight_steps', '2026110000');
    const res = await http(viewer.url, 'POST', '/api/flows/eight_steps/runs/2026110000/run', { rawBody: '' });
    expect(res.status).to.equal(202);
    expect((await ended).state).to.equal('processed');
  });
});
