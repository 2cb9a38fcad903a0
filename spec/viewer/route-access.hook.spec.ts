import { expect } from 'chai';
import fastify from 'fastify';
import { createTestingApp, type TestingApp } from '../../src/testing';
import type { ViewerServer } from '../../src/viewer';
import { EightStepFlow } from '../../samples';
import { requireRouteAccess } from '../../src/viewer/route-access.hook';
import { rawRequest } from './raw-http';

const TOKEN = 'route-access-token-93d1';
const TP = '2026112600';

/** The routes that hold data or press a button, as the API documents them. */
const READS = [
  '/api/flows',
  '/api/flows/eight_steps',
  '/api/flows/eight_steps/runs',
  `/api/flows/eight_steps/runs/${TP}`,
  `/api/flows/eight_steps/runs/${TP}/steps/step_1/log`,
  '/api/flows/eight_steps/schedule',
  '/api/events',
];
const WRITES = [
  ...['run', 'recover', 'cancel', 'steps/step_1/run-one', 'steps/step_1/run-from'].map(
    (action) => `/api/flows/eight_steps/runs/${TP}/${action}`,
  ),
  '/api/flows/eight_steps/schedule/pause',
  '/api/flows/eight_steps/schedule/resume',
];

/**
 * Every spelling of `path` we could think of that a router, a proxy or a browser might take for the
 * same route: percent-encoding (single, double, upper and lower case hex), dot segments, doubled and
 * trailing slashes, matrix parameters, case, look-alike unicode, absolute-form targets.
 */
function spellings(path: string, port: string): string[] {
  const rest = path.slice('/api'.length);
  return [
    path,
    `/%61pi${rest}`,
    `/ap%69${rest}`,
    `/%61%70%69${rest}`,
    `/%41%50%49${rest}`,
    `/%2561pi${rest}`,
    `/API${rest}`,
    `/Api${rest}`,
    `//api${rest}`,
    `/api/${rest.slice(1)}`.replace('/api/', '/api//'),
    `${path}/`,
    `${path}//`,
    `/./api${rest}`,
    `/x/../api${rest}`,
    `/%2e/api${rest}`,
    `/x/%2e%2e/api${rest}`,
    `/x/%2E%2E/api${rest}`,
    `/x/.%2e/api${rest}`,
    `/x%2f..%2fapi${rest}`,
    `/api%2f${rest.slice(1)}`,
    `/api%2F${rest.slice(1)}`,
    `/%2fapi${rest}`,
    `/\\api${rest}`,
    `/%5capi${rest}`,
    `/api;x=1${rest}`,
    `${path};x=1`,
    `${path}%3bx`,
    `${path}?x=1`,
    `${path}#x`,
    `${path}%00`,
    `${path}%20`,
    `${path}%09`,
    `${path}.`,
    `/\uff41pi${rest}`,
    `/%EF%BD%81pi${rest}`,
    `/\u0430pi${rest}`,
    `/%C0%E1pi${rest}`,
    `http://127.0.0.1:${port}${path}`,
    `http://127.0.0.1:${port}/%61pi${rest}`,
  ];
}

describe('viewer/route-access.hook', () => {
  let t: TestingApp;

  before(async () => {
    t = await createTestingApp({ flows: [EightStepFlow] });
  });

  after(async () => {
    await t.teardown();
  });

  /** Asks every spelling of every route with every method; nothing may answer with data or start a run. */
  async function probe(viewer: ViewerServer, paths: string[], methods: string[], headers: Record<string, string> = {}): Promise<string[]> {
    const { port } = new URL(viewer.url);
    const leaks: string[] = [];
    for (const path of paths) {
      for (const target of spellings(path, port)) {
        for (const method of methods) {
          const contentType: Record<string, string> =
            method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? {} : { 'Content-Type': 'application/json' };
          const res = await rawRequest(viewer.url, method, target, { ...contentType, ...headers }, method === 'POST' ? '{}' : '');
          if (![400, 401].includes(res.status)) leaks.push(`${method} ${target} -> ${res.status} ${res.body.slice(0, 80)}`);
        }
      }
    }
    return leaks;
  }

  describe('with a token', () => {
    let viewer: ViewerServer;

    before(async () => {
      viewer = await t.app.serve({ port: 0, token: TOKEN });
    });

    after(() => viewer.close());

    it('lets no spelling of an API path, with any method, reach data or a run without the token', async function () {
      this.timeout(120_000);
      const leaks = await probe(viewer, [...READS, ...WRITES], ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH']);
      expect(leaks).to.deep.equal([]);
      expect(await t.app.runs('eight_steps')).to.deep.equal([]);
    });

    it('refuses a wrong token under every spelling too', async function () {
      this.timeout(60_000);
      const leaks = await probe(viewer, ['/api/flows', WRITES[0]], ['GET', 'POST'], { Authorization: `Bearer ${TOKEN.slice(0, -1)}` });
      expect(leaks).to.deep.equal([]);
      expect(await t.app.runs('eight_steps')).to.deep.equal([]);
    });

    it('decides by the route matched, so a route reached by an encoded path still works with the token', async () => {
      const res = await rawRequest(viewer.url, 'GET', '/%61pi/flows', { Authorization: `Bearer ${TOKEN}` });
      expect(res.status).to.equal(200);
      expect(res.body).to.contain('eight_steps');
    });

    it('serves the page and its assets without the token, and nothing else under those spellings', async () => {
      expect((await rawRequest(viewer.url, 'GET', '/')).status).to.equal(200);
      expect((await rawRequest(viewer.url, 'GET', '/assets/main.js')).status).to.equal(200);
      expect((await rawRequest(viewer.url, 'GET', '/%61ssets/main.js')).status).to.equal(200);
      // an unknown path is not told apart from a guarded one: both ask for the token
      expect((await rawRequest(viewer.url, 'GET', '/nothing-here')).status).to.equal(401);
    });
  });

  describe('with a token and publicRead', () => {
    let viewer: ViewerServer;

    before(async () => {
      viewer = await t.app.serve({ port: 0, token: TOKEN, publicRead: true });
    });

    after(() => viewer.close());

    it('lets no spelling of a run button, with any method, start or cancel a run without the token', async function () {
      this.timeout(120_000);
      const leaks = await probe(viewer, WRITES, ['POST', 'PUT', 'PATCH', 'DELETE', 'GET', 'HEAD', 'OPTIONS']);
      expect(leaks).to.deep.equal([]);
      expect(await t.app.runs('eight_steps')).to.deep.equal([]);
    });

    it('still serves reads without the token, however they are spelled', async () => {
      expect((await rawRequest(viewer.url, 'GET', '/%61pi/flows')).status).to.equal(200);
      expect((await rawRequest(viewer.url, 'HEAD', '/api/flows')).status).to.equal(200);
    });
  });

  it('refuses a route that does not declare who may use it, when the route is added', async () => {
    const server = fastify({ logger: false });
    server.addHook('onRoute', requireRouteAccess);
    try {
      expect(() => server.get('/api/forgotten', async () => ({}))).to.throw(/GET \/api\/forgotten declares no access/);
      expect(() => server.get('/api/declared', { config: { access: 'read' } }, async () => ({}))).to.not.throw();
    } finally {
      await server.close();
    }
  });
});
