import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import type { ViewerServer } from '../../../src/viewer';
import { FailThenRecoverFlow } from '../../../samples';
import { http } from '../viewer-http';

describe('viewer/routes/grid', () => {
  let t: TestingApp;
  let viewer: ViewerServer;
  let dir: string;
  const days = ['2026112400', '2026112500', '2026112600'];

  /** A 3-day backfill whose middle day fails: its upstream data was late. */
  async function backfill(app: TestingApp['app'], markerFile: string): Promise<void> {
    for (const timeperiod of days) {
      if (timeperiod === '2026112500') fs.rmSync(markerFile, { force: true });
      else fs.writeFileSync(markerFile, 'delivered');
      await app.run('fail_then_recover', { timeperiod, trigger: 'backfill' });
    }
  }

  // the harness's database: SQLite in memory, or PostgreSQL under the postgres suite
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-grid-'));
    const markerFile = path.join(dir, 'upstream.ready');
    t = await createTestingApp({ flows: [FailThenRecoverFlow], settings: { markerFile } });
    viewer = await t.app.serve({ port: 0 });
    await backfill(t.app, markerFile);
  });

  after(async () => {
    await viewer?.close();
    await t?.teardown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('GET /api/flows/:flow/grid gives the timeperiods oldest left x the steps in topological order, each cell the step state', async () => {
    const { status, body } = await http(viewer.url, 'GET', '/api/flows/fail_then_recover/grid');
    expect(status).to.equal(200);
    expect(body).to.include({ flowName: 'fail_then_recover', limit: 30, before: null, olderBefore: null });
    expect(body.columns.map((c: { timeperiod: string; state: string }) => [c.timeperiod, c.state])).to.deep.equal([
      ['2026112400', 'processed'],
      ['2026112500', 'invalid'],
      ['2026112600', 'processed'],
    ]);
    expect(body.columns[0].durationMs).to.be.a('number').at.least(0);
    expect(body.rows).to.deep.equal([
      { stepName: 'fetch', states: ['processed', 'processed', 'processed'], attempts: [1, 1, 1] },
      { stepName: 'load', states: ['processed', 'invalid', 'processed'], attempts: [1, 1, 1] },
      { stepName: 'report', states: ['processed', 'embryo', 'processed'], attempts: [1, 0, 1] },
    ]);
  });

  it('pages to older timeperiods with before=, and says where the next older page starts', async () => {
    const newest = await http(viewer.url, 'GET', '/api/flows/fail_then_recover/grid?limit=2');
    expect(newest.body.columns.map((c: { timeperiod: string }) => c.timeperiod)).to.deep.equal(['2026112500', '2026112600']);
    expect(newest.body.olderBefore).to.equal('2026112500');
    const older = await http(viewer.url, 'GET', `/api/flows/fail_then_recover/grid?limit=2&before=${newest.body.olderBefore}`);
    expect(older.body.columns.map((c: { timeperiod: string }) => c.timeperiod)).to.deep.equal(['2026112400']);
    expect(older.body.rows.map((r: { states: string[] }) => r.states)).to.deep.equal([['processed'], ['processed'], ['processed']]);
    expect(older.body.olderBefore).to.equal(null);
  });

  it('refuses a bad page size or before (400) and an unknown flow (404)', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=x', 'before=2026', 'before=2026133100']) {
      const { status, body } = await http(viewer.url, 'GET', `/api/flows/fail_then_recover/grid?${query}`);
      expect(status, query).to.equal(400);
      expect(body.error, query).to.be.oneOf(['InvalidRequestError', 'InvalidTimeperiodError']);
    }
    const unknown = await http(viewer.url, 'GET', '/api/flows/nope/grid');
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error).to.equal('UnknownFlowError');
  });

  describe('on a SQLite file whose every statement is recorded', () => {
    let own: TestingApp;
    let ownViewer: ViewerServer;
    /** Every SQL statement better-sqlite3 ran, as it ran it. */
    const statements: string[] = [];

    before(async () => {
      const markerFile = path.join(dir, 'own-upstream.ready');
      own = await createTestingApp({
        flows: [FailThenRecoverFlow],
        settings: { markerFile },
        database: { type: 'better-sqlite3', database: path.join(dir, 'state.db'), verbose: (sql: unknown) => statements.push(String(sql)) },
      });
      ownViewer = await own.app.serve({ port: 0 });
      await backfill(own.app, markerFile);
    });

    after(async () => {
      await ownViewer?.close();
      await own?.teardown();
    });

    it('reads the step table once for the whole window, never once per timeperiod', async () => {
      statements.length = 0;
      const { status, body } = await http(ownViewer.url, 'GET', '/api/flows/fail_then_recover/grid?limit=30');
      expect(status).to.equal(200);
      expect(body.columns).to.have.length(3);
      const stepReads = statements.filter((sql) => /^\s*SELECT\b/i.test(sql) && /\bFROM\s+"step"/i.test(sql));
      expect(stepReads, statements.join('\n')).to.have.length(1);
    });
  });
});
