import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { bootstrap, type SynergyFlowApp } from '../../src';
import type { ViewerServer } from '../../src/viewer';
import { FailThenRecoverFlow } from '../../samples';

describe('viewer: secrets in its answers', () => {
  let dir: string;
  let app: SynergyFlowApp;
  let viewer: ViewerServer;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-viewer-secrets-'));
    const database = { type: 'better-sqlite3' as const, database: path.join(dir, 'state.db') };
    // `e` as a secret: redacted as a value in data, never in the page's own script.
    app = await bootstrap({
      flows: [FailThenRecoverFlow],
      database,
      logDirectory: path.join(dir, 'logs'),
      credentials: { pin: 'k9', letter: 'e', digit: '1' },
      settings: { markerFile: path.join(dir, 'none') },
      handleSignals: false,
    });
    await app.run('fail_then_recover', { timeperiod: '2026112600' });
    // An error row written before the secrets were known, by an older version or another engine.
    const db = new Database(database.database);
    try {
      db.prepare(`UPDATE step SET error = ? WHERE state = 'invalid'`).run('Error: login refused, pin k9, letter e, digit 1');
    } finally {
      db.close();
    }
    viewer = await app.serve({ port: 0 });
  });

  after(async () => {
    await viewer.close();
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves an old error row redacted, in a document that is still JSON (a secret `1` leaves the attempt numbers alone)', async () => {
    const body = await (await fetch(`${viewer.url}api/flows/fail_then_recover/runs/2026112600`)).text();
    expect(body).to.include('Error: login refused, pin ***, letter ***, digit ***');
    expect(body).not.to.match(/\bk9\b/);
    const run = JSON.parse(body);
    expect(run.steps.map((s: { attempt: number }) => s.attempt)).to.include(1);
  });

  it("leaves the page's scripts alone", async () => {
    const page = await (await fetch(viewer.url)).text();
    const scripts = [...page.matchAll(/src="([^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts).not.to.deep.equal([]);
    for (const script of scripts) {
      const served = await (await fetch(new URL(script, viewer.url))).text();
      expect(served, script).not.to.include('***');
    }
  });
});
