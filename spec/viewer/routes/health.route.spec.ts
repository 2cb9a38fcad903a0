import { expect } from 'chai';
import { filter, firstValueFrom } from 'rxjs';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import type { ViewerServer } from '../../../src/viewer';
import { startPostgres, type PostgresServer, type PostgresTestOptions } from '../../support/postgres-server';
import { Gate, GatedFlow } from '../gated.flow';
import { http } from '../viewer-http';

const TOKEN = 'healthz-spec-token-91c3';
const TP = '2026112600';

describe('viewer/routes/health.route: GET /healthz', function () {
  this.timeout(120_000);
  let server: PostgresServer;
  let database: PostgresTestOptions;
  let t: TestingApp;
  let viewer: ViewerServer;

  before(async () => {
    server = await startPostgres();
    database = await server.createDatabase();
    t = await createTestingApp({ flows: [GatedFlow], database });
    // a token, and no publicRead: /healthz must still answer without it (a probe has none)
    viewer = await t.app.serve({ port: 0, token: TOKEN });
  });

  after(async () => {
    await viewer?.close();
    await t?.teardown();
    await server?.stop();
  });

  it('answers 200 without a token: the database is reachable, how many runs are in flight, and which engine answers', async () => {
    const idle = await http(viewer.url, 'GET', '/healthz');
    expect(idle.status).to.equal(200);
    const { instanceId } = idle.body;
    expect(instanceId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(idle.body).to.deep.equal({ status: 'ok', database: 'reachable', runsInFlight: 0, instanceId });
    expect(idle.headers.get('cache-control')).to.equal('no-store');

    Gate.close();
    const holding = firstValueFrom(
      t.app.events$.pipe(filter((e) => e.type === 'step' && e.stepName === 'hold' && e.state === 'in_progress')),
    );
    const running = t.app.run('gated', { timeperiod: TP });
    await holding;
    expect((await http(viewer.url, 'GET', '/healthz')).body).to.deep.equal({
      status: 'ok',
      database: 'reachable',
      runsInFlight: 1,
      instanceId,
    });
    Gate.release();
    const { runId, state } = await running;
    expect(state).to.equal('processed');
    // The id an operator reads in FlowLockedError and history is the one this engine's probe answers with.
    expect((await t.app.historyRun(runId)).instanceId).to.equal(instanceId);
    expect((await http(viewer.url, 'GET', '/healthz')).body.runsInFlight).to.equal(0);
  });

  it('answers 503 while the database is down, without its password, and 200 again once it is back', async () => {
    const outage = await server.outage();
    let down;
    try {
      down = await http(viewer.url, 'GET', '/healthz');
    } finally {
      await outage.end();
    }
    expect(down.status).to.equal(503);
    expect(down.body).to.include({ status: 'unavailable', database: 'unreachable', runsInFlight: 0 });
    expect(down.body.instanceId, 'which engine cannot reach its database').to.be.a('string').and.not.equal('');
    expect(down.body.reason).to.be.a('string').and.not.equal('');
    expect(down.text).not.to.contain(database.password);

    // The pool drops the connections the restart broke; a check answers 200 again within a few tries.
    let up = await http(viewer.url, 'GET', '/healthz');
    for (let tries = 1; up.status !== 200 && tries < 50; tries++) up = await http(viewer.url, 'GET', '/healthz');
    expect(up.status, JSON.stringify(up.body)).to.equal(200);
  });

  it('answers 503 once the application is closed', async () => {
    const other = await createTestingApp({ flows: [GatedFlow], database: await server.createDatabase() });
    const otherViewer = await other.app.serve({ port: 0 });
    try {
      expect((await http(otherViewer.url, 'GET', '/healthz')).status).to.equal(200);
      // close() ends the viewer with the application: ask the application itself, as the route does
      await other.app.close();
      const health = await other.app.health();
      expect(health).to.include({ database: 'unreachable', runsInFlight: 0 });
    } finally {
      await otherViewer.close();
      await other.teardown();
    }
  });
});
