import * as http from 'node:http';
import { expect } from 'chai';
import { ConfigurationError } from '../../src/errors';
import { createTestingApp, type TestingApp } from '../../src/testing';
import type { ViewerServer } from '../../src/viewer';
import { EightStepFlow, HourlyIngestFlow } from '../../samples';
import { http as request, runEnd } from './viewer-http';

const TOKEN = 's3cret-viewer-token-7f1e';

/** A request with a Host header of our choosing (fetch will not forge one). */
function withHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('viewer security', () => {
  let t: TestingApp;

  before(async () => {
    t = await createTestingApp({ flows: [EightStepFlow, HourlyIngestFlow] });
  });

  after(async () => {
    await t.teardown();
  });

  describe('with a token', () => {
    let viewer: ViewerServer;

    before(async () => {
      viewer = await t.app.serve({ port: 0, token: TOKEN });
    });

    after(() => viewer.close());

    it('answers 401 to API requests without the token or with a wrong one, and never echoes it', async () => {
      for (const [method, path] of [
        ['GET', '/api/flows'],
        ['GET', '/api/flows/eight_steps/runs'],
        ['GET', '/api/events'],
        ['POST', '/api/flows/eight_steps/runs/2026112600/run'],
        ['POST', '/api/flows/eight_steps/runs/2026112600/cancel'],
        ['GET', '/api/flows/hourly_ingest/schedule'],
        ['POST', '/api/flows/hourly_ingest/schedule/pause'],
        ['POST', '/api/flows/hourly_ingest/schedule/resume'],
      ] as const) {
        for (const token of [undefined, 'wrong', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
          const res = await request(viewer.url, method, path, { token });
          expect(res.status, `${method} ${path} ${token}`).to.equal(401);
          expect(res.body.error).to.equal('UnauthorizedError');
          expect(res.body.code).to.equal('ERR_SYNERGY_UNAUTHORIZED');
          expect(res.body.message).to.contain('Authorization: Bearer');
          expect(res.headers.get('www-authenticate')).to.match(/^Bearer/);
          expect(res.text).to.not.contain(TOKEN.slice(0, 8));
        }
      }
      expect((await request(viewer.url, 'GET', '/api/flows/eight_steps/runs')).body.runs).to.equal(undefined);
      expect(await t.app.runs('eight_steps')).to.deep.equal([]);
      expect(await t.app.scheduler().isPaused('hourly_ingest')).to.equal(false);
    });

    it('pauses and resumes a schedule with the token', async () => {
      const scheduler = t.app.scheduler();
      const paused = await request(viewer.url, 'POST', '/api/flows/hourly_ingest/schedule/pause', { token: TOKEN });
      expect(paused.status).to.equal(200);
      expect(await scheduler.isPaused('hourly_ingest')).to.equal(true);
      expect((await request(viewer.url, 'POST', '/api/flows/hourly_ingest/schedule/resume', { token: TOKEN })).status).to.equal(200);
      expect(await scheduler.isPaused('hourly_ingest')).to.equal(false);
    });

    it('serves the page itself without the token (it holds no data) and everything with it', async () => {
      expect((await request(viewer.url, 'GET', '/')).status).to.equal(200);
      expect((await request(viewer.url, 'GET', '/assets/main.js')).status).to.equal(200);
      expect((await request(viewer.url, 'GET', '/api/flows', { token: TOKEN })).status).to.equal(200);
      const ended = runEnd(t.app, 'eight_steps', '2026112600');
      const run = await request(viewer.url, 'POST', '/api/flows/eight_steps/runs/2026112600/run', { token: TOKEN });
      expect(run.status).to.equal(202);
      expect((await ended).state).to.equal('processed');
    });
  });

  describe('with a token and publicRead', () => {
    let viewer: ViewerServer;

    before(async () => {
      viewer = await t.app.serve({ port: 0, token: TOKEN, publicRead: true });
    });

    after(() => viewer.close());

    it('lets the schedule be read without the token, but not paused or resumed', async () => {
      expect((await request(viewer.url, 'GET', '/api/flows/hourly_ingest/schedule')).status).to.equal(200);
      for (const action of ['pause', 'resume']) {
        const res = await request(viewer.url, 'POST', `/api/flows/hourly_ingest/schedule/${action}`);
        expect(res.status, action).to.equal(401);
        expect(res.body.error).to.equal('UnauthorizedError');
      }
      expect(await t.app.scheduler().isPaused('hourly_ingest')).to.equal(false);
    });

    it('lets reads through without the token but not the run buttons', async () => {
      expect((await request(viewer.url, 'GET', '/api/flows')).status).to.equal(200);
      expect((await request(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026112600/steps/step_1/log')).status).to.equal(200);
      const post = await request(viewer.url, 'POST', '/api/flows/eight_steps/runs/2026112700/run');
      expect(post.status).to.equal(401);
      expect((await request(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026112700')).status).to.equal(404);
    });
  });

  describe('bound to loopback without a token', () => {
    let viewer: ViewerServer;

    before(async () => {
      viewer = await t.app.serve({ port: 0 });
    });

    after(() => viewer.close());

    it('listens on 127.0.0.1 by default', () => {
      expect(new URL(viewer.url).hostname).to.equal('127.0.0.1');
    });

    it('answers 403 to a request under a foreign host name (DNS rebinding) and serves loopback names', async () => {
      const port = new URL(viewer.url).port;
      const evil = await withHost(new URL('/api/flows', viewer.url).href, `attacker.example:${port}`);
      expect(evil.status).to.equal(403);
      expect(JSON.parse(evil.body).error).to.equal('ForbiddenHostError');
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
        expect((await withHost(new URL('/api/flows', viewer.url).href, host)).status, host).to.equal(200);
      }
    });

    it('refuses POSTs that are not JSON, which is what another web page could send', async () => {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await request(viewer.url, 'POST', '/api/flows/eight_steps/runs/2026112800/run', { contentType, rawBody: 'a=b' });
        expect(res.status, contentType).to.equal(400);
        expect(res.body.message).to.contain('Content-Type: application/json');
      }
      expect((await request(viewer.url, 'GET', '/api/flows/eight_steps/runs/2026112800')).status).to.equal(404);
    });

    it('refuses a pause sent as another web page could (not JSON, from its origin) or under a foreign host name', async () => {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await request(viewer.url, 'POST', '/api/flows/hourly_ingest/schedule/pause', {
          contentType,
          rawBody: 'a=b',
          headers: { origin: 'http://attacker.example' },
        });
        expect(res.status, contentType).to.equal(400);
        expect(res.body.message).to.contain('Content-Type: application/json');
      }
      const port = new URL(viewer.url).port;
      const rebound = await withHost(new URL('/api/flows/hourly_ingest/schedule', viewer.url).href, `attacker.example:${port}`);
      expect(rebound.status).to.equal(403);
      expect(await t.app.scheduler().isPaused('hourly_ingest')).to.equal(false);
    });
  });

  it('refuses to bind beyond loopback without a token, and to take a bad port', async () => {
    for (const host of ['0.0.0.0', '192.168.1.10', '::']) {
      const err = await t.app.serve({ port: 0, host }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err, host).to.be.instanceOf(ConfigurationError);
      expect(err!.message).to.contain(`binding the viewer to ${host}`).and.contain('token');
    }
    for (const port of [-1, 65536, 1.5, Number.NaN]) {
      const err = await t.app.serve({ port }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err, String(port)).to.be.instanceOf(ConfigurationError);
      expect(err!.message).to.contain('port: must be a whole number from 0 to 65535');
    }
  });

  it('binds beyond loopback with a token', async () => {
    const viewer = await t.app.serve({ port: 0, host: '0.0.0.0', token: TOKEN });
    try {
      const port = new URL(viewer.url).port;
      const res = await request(`http://127.0.0.1:${port}/`, 'GET', '/api/flows', { token: TOKEN });
      expect(res.status).to.equal(200);
    } finally {
      await viewer.close();
    }
  });
});
