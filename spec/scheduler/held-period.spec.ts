import { expect } from 'chai';
import Database from 'better-sqlite3';
import { createTestingApp, type TestingApp } from '../../src/testing';
import type { Scheduler, TickReport } from '../../src';
import { tempSqlite } from '../support/temp-database';
import { ManualClock, SchedulerProbe, scheduledFlow, triggeredKeys } from './fixtures/scheduled-flows';

/** Another engine, on another machine: judged by its lease's expiry only. */
const OTHER_ENGINE = { host: 'etl-other', pid: 4242, instanceId: '0a1b2c3d-0000-4000-8000-000000000042' };

/**
 * A period whose `flow_lease` another engine holds (a run by hand, another application, one that
 * took the lease and has not written the period's row yet) is refused to this scheduler's run
 * (FlowLockedError). It is not this scheduler's failure: a tick leaves it alone, claims nothing,
 * spends no attempt nor retry, and starts it once that lease is gone.
 */
describe('Scheduler: a period another engine holds', () => {
  let t: TestingApp | undefined;
  let db: ReturnType<typeof tempSqlite>;
  let probe: SchedulerProbe;
  beforeEach(() => (db = tempSqlite()));
  afterEach(async () => {
    await t?.teardown();
    t = undefined;
    db.cleanup();
  });

  /** An hourly flow from 2026010100 on a SQLite file, its tables made by a first tick before anything is due. */
  async function start(schedule: { retries?: number; retryDelayMs?: number } = {}): Promise<Scheduler> {
    probe = new SchedulerProbe();
    t = await createTestingApp({
      flows: [scheduledFlow('hourly', { every: 'hour', start: '2026010100', ...schedule })],
      database: db.database,
      settings: { probe },
    });
    const scheduler = t.app.scheduler({ clock: new ManualClock(new Date('2026-01-01T00:00:00Z')) });
    expect((await scheduler.tick(new Date('2026-01-01T00:30:00Z'))).triggered).to.deep.equal([]);
    return scheduler;
  }

  /** Runs `sql` on the app's SQLite file, as another engine or an operator would write to it. */
  function write(sql: string, ...params: unknown[]): void {
    const sqlite = new Database(db.file);
    try {
      sqlite.prepare(sql).run(...params);
    } finally {
      sqlite.close();
    }
  }

  function holdByOtherEngine(timeperiod: string): void {
    write(
      `INSERT INTO flow_lease (flow_name, timeperiod, holder_id, host, pid, instance_id, pid_namespace, version, acquired_at, heartbeat_at, expires_at)
       VALUES ('hourly', ?, 'f0e1d2c3-0000-4000-8000-000000000001', ?, ?, ?, NULL, 1, ?, ?, ?)`,
      timeperiod,
      OTHER_ENGINE.host,
      OTHER_ENGINE.pid,
      OTHER_ENGINE.instanceId,
      Date.UTC(2026, 0, 1, 1, 0, 1),
      Date.now(),
      Date.now() + 3_600_000,
    );
  }

  /** Its lease expires (the other engine died before writing the period's row). */
  function expireLease(timeperiod: string): void {
    write(`UPDATE flow_lease SET expires_at = 0 WHERE timeperiod = ?`, timeperiod);
  }

  const claims = () => {
    const sqlite = new Database(db.file, { readonly: true });
    try {
      return sqlite.prepare('SELECT timeperiod, attempt, kind FROM schedule_claim ORDER BY timeperiod, attempt').all();
    } finally {
      sqlite.close();
    }
  };

  const heldEntry = (timeperiod: string) => ({
    flow: 'hourly',
    timeperiod,
    reason: 'held-elsewhere',
    message: `held by another engine, etl-other pid 4242 (instance ${OTHER_ENGINE.instanceId}) since 2026-01-01T01:00:01.000Z: not started here until its lease is released or expires`,
  });

  it('a due period without a row: skipped at every tick, nothing claimed nor run; started as attempt 1 once the lease expired', async () => {
    const scheduler = await start();
    holdByOtherEngine('2026010100');
    const reports: TickReport[] = [];
    for (let i = 0; i < 5; i++) reports.push(await scheduler.tick(new Date('2026-01-01T01:30:00Z')));
    for (const report of reports) {
      expect(report.triggered).to.deep.equal([]);
      expect(report.skipped).to.deep.equal([heldEntry('2026010100')]);
    }
    expect(claims(), 'claims of a held period').to.deep.equal([]);
    expect(probe.started).to.deep.equal([]);

    expireLease('2026010100');
    const report = await scheduler.tick(new Date('2026-01-01T01:30:00Z'));
    expect(report.triggered.map((r) => [r.timeperiod, r.reason, r.attempt, r.result?.state])).to.deep.equal([
      ['2026010100', 'due', 1, 'processed'],
    ]);
    expect(claims()).to.deep.equal([{ timeperiod: '2026010100', attempt: 1, kind: 'run' }]);
  });

  it('plan shows it running, held by that engine, not due; due again once the lease expired', async () => {
    await start();
    holdByOtherEngine('2026010100');
    const planner = t!.app.scheduler({ clock: new ManualClock(new Date('2026-01-01T01:30:00Z')) });
    const plan = await planner.plan('hourly', { limit: 2 });
    expect(plan.map((p) => [p.timeperiod, p.status, p.reason])).to.deep.equal([
      ['2026010100', 'running', heldEntry('2026010100').message],
      ['2026010101', 'scheduled', undefined],
    ]);
    expireLease('2026010100');
    expect((await planner.plan('hourly', { limit: 1 }))[0]).to.include({ timeperiod: '2026010100', status: 'due' });
  });

  it('holds a slot of maxActiveRuns, as a run in progress does: later periods wait', async () => {
    const scheduler = await start();
    holdByOtherEngine('2026010100');
    const report = await scheduler.tick(new Date('2026-01-01T03:30:00Z'));
    expect(report.triggered).to.deep.equal([]);
    expect(report.waiting.map((w) => [w.timeperiod, w.reason])).to.deep.equal([['2026010101', 'max-active-runs']]);
    expireLease('2026010100');
    expect(triggeredKeys(await scheduler.tick(new Date('2026-01-01T03:30:00Z')))).to.deep.equal(['hourly 2026010100']);
  });

  it('a failed period whose retry is due: skipped without spending its retry, retried once the lease expired', async () => {
    const scheduler = await start({ retries: 1, retryDelayMs: 0 });
    probe.failing.add('hourly 2026010100');
    expect((await scheduler.tick(new Date('2026-01-01T01:30:00Z'))).triggered[0].result?.state).to.equal('invalid');
    probe.failing.clear();
    holdByOtherEngine('2026010100');
    for (let i = 0; i < 3; i++) {
      const report = await scheduler.tick(new Date('2026-01-01T01:30:00Z'));
      expect(report.triggered).to.deep.equal([]);
      expect(report.skipped).to.deep.equal([heldEntry('2026010100')]);
    }
    expect(claims()).to.deep.equal([{ timeperiod: '2026010100', attempt: 1, kind: 'run' }]);

    expireLease('2026010100');
    const report = await scheduler.tick(new Date('2026-01-01T01:30:00Z'));
    expect(report.triggered.map((r) => [r.reason, r.message, r.attempt, r.result?.state])).to.deep.equal([
      ['retry', 'retry 1 of 1', 2, 'processed'],
    ]);
  });
});
