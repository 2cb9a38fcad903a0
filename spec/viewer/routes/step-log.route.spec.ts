import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { newRunId } from '../../../src/domain/run-id';
import { localIsoTimestamp } from '../../../src/logging/log-layout';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import type { ViewerServer } from '../../../src/viewer';
import { EightStepFlow } from '../../../samples';
import { bytesReadByThisProcess } from '../../support/bytes-read';
import { http } from '../viewer-http';

/** 8 MiB of step_2's lines of runs of `timeperiod` a week ago, one a millisecond, written to `file`. */
function writeOlderRuns(file: string, timeperiod: string): void {
  const week = Date.now() - 7 * 24 * 3600_000;
  let older = '';
  for (let i = 0; older.length < 8 * 1024 * 1024; i++)
    older += `${localIsoTimestamp(new Date(week + i))} step_2 INFO [${timeperiod}#${newRunId(week + i)}] older row ${i}\n`;
  fs.writeFileSync(file, older);
}

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

  it('a timeperiod that never ran: 404 with a JSON body, not an empty log', async () => {
    const { status, body } = await http(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026112500/steps/step_3/log');
    expect(status).to.equal(404);
    expect(body).to.include({ statusCode: 404, error: 'FlowRunNotFoundError', code: 'ERR_SYNERGY_FLOW_RUN_NOT_FOUND' });
    expect(body.message).to.match(/flow 'eight_steps' has never run for timeperiod 2026112500/);
  });

  it("returns the step's log lines of that timeperiod once it ran, no other timeperiod's", async () => {
    await t.app.run('eight_steps', { timeperiod: '2026112600' });
    await t.app.run('eight_steps', { timeperiod: '2026112700' });
    const { status, body } = await http(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026112600/steps/step_1/log');
    expect(status).to.equal(200);
    expect(body).to.include({ flowName: 'eight_steps', timeperiod: '2026112600', stepName: 'step_1', exists: true, truncated: false });
    expect(body.text).to.match(/ step_1 INFO \[2026112600#[0-9a-z]{14}\] attempt 1 started on cluster /);
    expect(body.text).to.match(/ step_1\.SleepAction INFO \[\S+\] completed in /);
    expect(body.text).to.match(/ step_1 INFO \[\S+\] processed in [\d.]+ ms\n$/);
    expect(body.text).to.not.contain('step_2').and.not.contain('2026112700');
    expect(body.lines).to.equal(body.text.split('\n').length - 1);
  });

  it("?runId= gives one run's lines (and &attempt= one attempt's), of the step or of the flow's own log", async () => {
    const first = await t.app.run('eight_steps', { timeperiod: '2026112800' });
    const second = await t.app.run('eight_steps', { timeperiod: '2026112800' });
    const base = '/api/flows/eight_steps/runs/2026112800';
    const step = await http(viewer.url, 'GET', `${base}/steps/step_1/log?runId=${second.runId}`);
    expect(step.status).to.equal(200);
    expect(step.body).to.include({ runId: second.runId, attempt: null, exists: true });
    const tags = step.body.text
      .trimEnd()
      .split('\n')
      .map((line: string) => / \[(\S+)\] /.exec(line)![1]);
    expect(new Set(tags)).to.deep.equal(new Set([`2026112800#${second.runId}`]));
    const attempt = await http(viewer.url, 'GET', `${base}/steps/step_1/log?runId=${second.runId}&attempt=1`);
    expect(attempt.body.text).to.equal(step.body.text);
    const none = await http(viewer.url, 'GET', `${base}/steps/step_1/log?runId=${second.runId}&attempt=2`);
    expect(none.body).to.include({ exists: false, text: '', lines: 0 });

    const flow = await http(viewer.url, 'GET', `${base}/log?runId=${first.runId}`);
    expect(flow.status).to.equal(200);
    expect(flow.body).to.include({ flowName: 'eight_steps', timeperiod: '2026112800', runId: first.runId, exists: true });
    expect(flow.body.text).to.match(
      new RegExp(`^\\S+ eight_steps INFO \\[2026112800#${first.runId}\\] run of timeperiod 2026112800 started`),
    );
    expect(flow.body.text).to.not.contain(second.runId);
    const latest = await http(viewer.url, 'GET', `${base}/log`);
    expect(latest.body, 'without runId: the latest run, as the page shows by default').to.include({ runId: second.runId });
    expect(latest.body.text).to.contain(second.runId).and.not.contain(first.runId).and.not.contain('2026112600#');
  });

  it("without runId: the timeperiod's latest run's lines, read as with its runId, not every run's back to the log's start", async () => {
    const first = await t.app.run('eight_steps', { timeperiod: '2026113000' });
    const second = await t.app.run('eight_steps', { timeperiod: '2026113000' });
    await t.app.logs.written();
    const file = t.app.logs.stepLogFile('eight_steps', 'step_2');
    // a week of older runs of another timeperiod, rotated away: fewer lines of 2026113000 than maxBytes
    writeOlderRuns(`${file}.1`, '2026112500');
    try {
      const base = '/api/flows/eight_steps/runs/2026113000';
      const before = bytesReadByThisProcess();
      const { status, body } = await http(viewer.url, 'GET', `${base}/steps/step_2/log`);
      expect(bytesReadByThisProcess() - before, 'bytes read').to.be.below(1024 * 1024);
      expect(status).to.equal(200);
      const lines = (await t.app.logs('eight_steps', { step: 'step_2', runId: second.runId })).map((entry) => `${entry.line}\n`);
      expect(body).to.include({ runId: second.runId, attempt: null, text: lines.join(''), lines: lines.length, exists: true });
      expect(body.text).to.not.contain(first.runId);
      const asked = await http(viewer.url, 'GET', `${base}/steps/step_2/log?runId=${second.runId}`);
      expect(body.text, 'as with the latest run id').to.equal(asked.body.text);
    } finally {
      fs.rmSync(`${file}.1`);
    }
  });

  it('an unknown run id, or one of another timeperiod: 404 with a JSON body; a malformed one: 400', async () => {
    const [other] = await t.app.logs('eight_steps', { timeperiod: '2026112600' });
    const base = '/api/flows/eight_steps/runs/2026112700';
    for (const url of [
      `${base}/steps/step_1/log?runId=zzzzzzzzzzzzzz`,
      `${base}/log?runId=zzzzzzzzzzzzzz`,
      `${base}/log?runId=${other.runId}`,
    ]) {
      const { status, body } = await http(viewer.url, 'GET', url);
      expect(status, url).to.equal(404);
      expect(body, url).to.include({ statusCode: 404, error: 'RunIdNotFoundError', code: 'ERR_SYNERGY_RUN_ID_NOT_FOUND' });
    }
    const malformed = await http(viewer.url, 'GET', `${base}/log?runId=../../x`);
    expect([malformed.status, malformed.body.error]).to.deep.equal([400, 'InvalidRequestError']);
    const attemptAlone = await http(viewer.url, 'GET', `${base}/steps/step_1/log?attempt=1`);
    expect([attemptAlone.status, attemptAlone.body.error]).to.deep.equal([400, 'InvalidRequestError']);
  });

  it("without runId, a latest run whose lines left the log: 404 saying it was the timeperiod's latest run, not a run id the user gave", async () => {
    const { runId } = await t.app.run('eight_steps', { timeperiod: '2026120100' });
    await t.app.logs.written();
    // Its lines deleted from every file of the flow (as rotation would have): the history still knows the run.
    const directory = path.dirname(t.app.logs.flowLogFile('eight_steps'));
    for (const name of fs.readdirSync(directory)) {
      const file = path.join(directory, name);
      const kept = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !line.includes(runId));
      fs.writeFileSync(file, kept.join('\n'));
    }
    const base = '/api/flows/eight_steps/runs/2026120100';
    for (const url of [`${base}/steps/step_1/log`, `${base}/log`]) {
      const { status, body } = await http(viewer.url, 'GET', url);
      expect(status, url).to.equal(404);
      expect(body, url).to.include({ error: 'RunIdNotFoundError', code: 'ERR_SYNERGY_RUN_ID_NOT_FOUND' });
      expect(body.message, url).to.equal(
        `the latest run of flow 'eight_steps' for timeperiod 2026120100, '${runId}' (as its history says), has no lines in eight_steps.log: ` +
          `they were rotated out (logs.keepFiles) or deleted, or its engine was killed before its first lines reached the file; ` +
          `ask for an earlier run of 2026120100 by its runId ('history' lists them)`,
      );
    }
    const asked = await http(viewer.url, 'GET', `${base}/log?runId=${runId}`);
    expect(asked.status).to.equal(404);
    expect(asked.body.message, 'asked by its id: the message for an unknown id').to.match(
      new RegExp(`^flow 'eight_steps' has no run '${runId}' in its log: no line of it carries that id`),
    );
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

  it("a run's newest 64 KiB of a step log holding 8 MiB of older runs: its lines as app.logs() gives them, read from the end, not the whole log", async () => {
    const { runId } = await t.app.run('eight_steps', { timeperiod: '2026112900' });
    await t.app.logs.written();
    const file = t.app.logs.stepLogFile('eight_steps', 'step_2');
    // a week of older runs of the same timeperiod, rotated away
    writeOlderRuns(`${file}.1`, '2026112900');
    try {
      const before = bytesReadByThisProcess();
      const { body } = await http(
        viewer.url,
        'GET',
        `/api/flows/eight_steps/runs/2026112900/steps/step_2/log?runId=${runId}&maxBytes=65536`,
      );
      expect(bytesReadByThisProcess() - before).to.be.below(1024 * 1024);
      const lines = (await t.app.logs('eight_steps', { step: 'step_2', runId })).map((entry) => `${entry.line}\n`);
      expect(body).to.include({ text: lines.join(''), lines: lines.length, truncated: false, exists: true });
      expect(body.size, 'the bytes of the log files').to.equal(fs.statSync(file).size + fs.statSync(`${file}.1`).size);
    } finally {
      fs.rmSync(`${file}.1`);
    }
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
