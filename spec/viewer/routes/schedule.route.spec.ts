import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import type { ViewerServer } from '../../../src/viewer';
import { DailyRollupFlow, HourlyIngestFlow } from '../../../samples';
import { RetryOnceFlow } from '../retry-once.flow';
import { http } from '../viewer-http';

interface Period {
  timeperiod: string;
  status: string;
  dueAt: string;
  why: string;
}

describe('viewer/routes/schedule', () => {
  let t: TestingApp;
  let viewer: ViewerServer;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-schedule-route-'));
    t = await createTestingApp({ flows: [HourlyIngestFlow, DailyRollupFlow, RetryOnceFlow], settings: { dataDirectory: dir } });
    // the first hour processed: the plan goes on from the second
    await t.app.run('hourly_ingest', { timeperiod: '2026120100', trigger: 'scheduler' });
    viewer = await t.app.serve({ port: 0 });
  });

  after(async () => {
    await viewer?.close();
    await t?.teardown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("GET /api/flows/:flow/schedule gives the schedule, in words, its pause and the plan's next periods", async () => {
    const { status, body } = await http(viewer.url, 'GET', '/api/flows/hourly_ingest/schedule?limit=3');
    expect(status).to.equal(200);
    expect(body.schedule).to.include({
      every: 'hour',
      start: '2026120100',
      maxActiveRuns: 4,
      onFailure: 'recover',
      retries: 2,
      retryDelayMs: 60_000,
    });
    expect(body.words).to.equal(
      'every hour from 2026120100; due 0 s after each period ends; 4 at once; on failure: recover, 2 retries 1 min apart',
    );
    expect(body.paused).to.equal(false);
    // the same periods as the application's own scheduler plans, with a reason each
    const plan = await t.app.scheduler().plan('hourly_ingest', { limit: 3 });
    expect(body.periods.map((p: Period) => [p.timeperiod, p.status, p.dueAt])).to.deep.equal(
      plan.map((p) => [p.timeperiod, p.status, p.dueAt.toISOString()]),
    );
    expect(body.periods[0]).to.include({ timeperiod: '2026120101', status: 'due', why: 'due: the next tick starts it' });

    const daily = await http(viewer.url, 'GET', '/api/flows/daily_rollup/schedule?limit=1');
    expect(daily.body.words).to.contain('every day from 2026120100').and.contain('after hourly_ingest');
    expect(daily.body.periods[0]).to.include({ timeperiod: '2026120100', status: 'due' });
    expect(daily.body.periods[0].why).to.contain('once hourly_ingest processed its period');
    // reading the plan starts nothing: the viewer never ticks
    expect(await t.app.runs('daily_rollup')).to.deep.equal([]);
    expect((await t.app.runs('hourly_ingest')).map((r) => r.timeperiod)).to.deep.equal(['2026120100']);
  });

  it('pauses and resumes a schedule for every scheduler on the database; a paused plan says why its periods wait', async () => {
    const pause = await http(viewer.url, 'POST', '/api/flows/hourly_ingest/schedule/pause');
    expect(pause.status).to.equal(200);
    expect(pause.body).to.deep.equal({ flowName: 'hourly_ingest', paused: true });
    expect(await t.app.scheduler().isPaused('hourly_ingest')).to.equal(true);
    const paused = await http(viewer.url, 'GET', '/api/flows/hourly_ingest/schedule?limit=1');
    expect(paused.body.paused).to.equal(true);
    expect(paused.body.periods[0]).to.include({ status: 'paused', why: 'due; held: the schedule is paused (resume it to go on)' });

    const resume = await http(viewer.url, 'POST', '/api/flows/hourly_ingest/schedule/resume');
    expect(resume.body).to.deep.equal({ flowName: 'hourly_ingest', paused: false });
    expect(await t.app.scheduler().isPaused('hourly_ingest')).to.equal(false);
    expect((await http(viewer.url, 'GET', '/api/flows/hourly_ingest/schedule')).body.paused).to.equal(false);
  });

  it('answers 404 for a flow without a schedule (GET and the switch) and for an unknown flow, and 400 for a bad limit', async () => {
    for (const [method, route] of [
      ['GET', '/api/flows/retry_once/schedule'],
      ['POST', '/api/flows/retry_once/schedule/pause'],
      ['POST', '/api/flows/retry_once/schedule/resume'],
    ] as const) {
      const res = await http(viewer.url, method, route);
      expect(res.status, route).to.equal(404);
      expect(res.body.error).to.equal('UnscheduledFlowError');
      expect(res.body.message).to.contain('hourly_ingest');
    }
    expect((await http(viewer.url, 'GET', '/api/flows/nope/schedule')).status).to.equal(404);
    expect((await http(viewer.url, 'POST', '/api/flows/nope/schedule/pause')).status).to.equal(404);
    expect((await http(viewer.url, 'GET', '/api/flows/hourly_ingest/schedule?limit=0')).status).to.equal(400);
  });
});
