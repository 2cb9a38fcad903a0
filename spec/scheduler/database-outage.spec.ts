import { expect } from 'chai';
import { Flow, Main, Step, type StepContext, type TickReport } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { startPostgres, type PostgresServer } from '../support/postgres-server';
import { ManualClock, SchedulerProbe, scheduledFlow } from './fixtures/scheduled-flows';

/** Waits until `check` holds, polling; fails naming `what` after 30 s. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until `check` resolves true, polling; fails naming `what` after 30 s. */
async function untilAsync(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + 30_000;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What the gated step waits for: the spec opens it. */
const gate = { open: () => {}, opened: Promise.resolve(), entered: false };

@Step({ name: 'work' })
class GatedWork {
  @Main() async run(_ctx: StepContext) {
    gate.entered = true;
    await gate.opened;
  }
}

@Flow({ name: 'gated_hourly', steps: [GatedWork], schedule: { every: 'hour', start: '2026010100' } })
class GatedHourly {}

/**
 * A scheduler runs unattended: a PostgreSQL restart while it ticks must cost it the ticks of the
 * outage, not the process, nor a period (none skipped, none run twice). A tick waits through an
 * outage up to lease.ttlMs (a restart takes a second), then fails with DatabaseUnavailableError,
 * which start()'s onError hears; the next ticks try again.
 */
describe('Scheduler: a PostgreSQL outage between ticks', function () {
  this.timeout(90_000);
  let server: PostgresServer;
  let t: TestingApp | undefined;

  before(async () => (server = await startPostgres()));
  after(async () => server?.stop());
  /** The outage a test started and has not ended: ended after it whatever its assertions did, so the next test finds the server up. */
  let down: { end(): Promise<void> } | undefined;
  const serverDown = async () => {
    const outage = await server.outage();
    down = outage;
    return {
      end: async () => {
        down = undefined;
        await outage.end();
      },
    };
  };
  afterEach(async () => {
    await down?.end();
    down = undefined;
    await t?.teardown();
    t = undefined;
  });

  let database: string;
  const finishedClaims = async () =>
    Number((await server.query<{ n: string }>(database, 'SELECT count(*) AS n FROM schedule_claim WHERE finished_at IS NOT NULL'))[0].n);

  /** An hourly flow from 2026010100 on a fresh database, its scheduler ticking every 50 ms at `now` (a manual clock). */
  async function startScheduler(now: string, lease?: { ttlMs: number; heartbeatMs: number }) {
    const probe = new SchedulerProbe();
    const options = await server.createDatabase();
    database = options.database;
    t = await createTestingApp({
      flows: [scheduledFlow('hourly', { every: 'hour', start: '2026010100' })],
      database: options,
      settings: { probe },
      ...(lease ? { lease } : {}),
    });
    const clock = new ManualClock(new Date(now));
    const scheduler = t.app.scheduler({ clock });
    const failedTicks: string[] = [];
    scheduler.start({ tickMs: 50, onError: (err) => failedTicks.push((err as Error).message) });
    return { probe, clock, scheduler, failedTicks };
  }

  it('reports the ticks that failed past lease.ttlMs, then catches up every period that came due meanwhile, each once', async () => {
    const { probe, clock, scheduler, failedTicks } = await startScheduler('2026-01-01T02:30:00Z', { ttlMs: 1_000, heartbeatMs: 300 });
    await until(() => probe.ended.length === 2, 'the two periods due at 02:30');
    // Both runs over, their claims finished: the outage must not meet a run still recording its end (the next test does).
    await untilAsync(async () => (await finishedClaims()) === 2, 'both claims finished');

    const outage = await serverDown();
    clock.set('2026-01-01T04:30:00Z');
    await until(() => failedTicks.length >= 2, 'ticks failing while the server is down');
    expect(failedTicks[0]).to.match(/^the database did not answer for 1\d{3} ms \(the bound is lease.ttlMs/);
    // What is true of a scheduler: it goes on, and nobody has a run to recover.
    expect(failedTicks[0]).to.match(
      /; check the database server: the scheduler keeps ticking and, once the database works again, starts what came due meanwhile and takes up the runs the outage cut short by itself$/,
    );
    expect(probe.started, 'nothing starts while the database is down').to.have.length(2);
    await outage.end();

    await until(() => probe.ended.length === 4, 'the periods due during the outage');
    await scheduler.stop();
    expect(probe.started).to.deep.equal(['00', '01', '02', '03'].map((h) => `hourly 20260101${h}`));
    const runs = await t!.app.runs('hourly');
    expect(runs.map((r) => [r.timeperiod, r.state]).sort()).to.deep.equal([
      ['2026010100', 'processed'],
      ['2026010101', 'processed'],
      ['2026010102', 'processed'],
      ['2026010103', 'processed'],
    ]);
  });

  it('rides out a restart shorter than lease.ttlMs: the tick waits for the server, no tick fails', async () => {
    const { probe, clock, scheduler, failedTicks } = await startScheduler('2026-01-01T01:30:00Z');
    await until(() => probe.ended.length === 1, 'the period due at 01:30');

    const outage = await serverDown();
    clock.set('2026-01-01T03:30:00Z');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await outage.end();
    await until(() => probe.ended.length === 3, 'the periods due during the restart');
    await scheduler.stop();
    expect(failedTicks).to.deep.equal([]);
    expect(probe.started).to.deep.equal(['00', '01', '02'].map((h) => `hourly 20260101${h}`));
  });

  it('a run whose end could not be recorded (the database went down as it ended) does not hold its period while the scheduler lives: it is taken up again', async () => {
    gate.entered = false;
    gate.opened = new Promise((resolve) => (gate.open = () => resolve()));
    const options = await server.createDatabase();
    database = options.database;
    t = await createTestingApp({ flows: [GatedHourly], database: options, lease: { ttlMs: 1_000, heartbeatMs: 300 } });
    const clock = new ManualClock(new Date('2026-01-01T01:30:00Z'));
    const scheduler = t.app.scheduler({ clock });
    const reports: TickReport[] = [];
    scheduler.start({ tickMs: 50, onTick: (report) => reports.push(report), onError: () => undefined });
    await until(() => gate.entered, 'the step of 2026010100 running');

    const outage = await serverDown();
    gate.open();
    // The step's end, the flow's and the claim's cannot be written: the run fails after lease.ttlMs.
    await until(() => reports.some((r) => r.triggered.some((run) => run.error !== undefined)), 'the run failing');
    const failed = reports.flatMap((r) => r.triggered).find((run) => run.error !== undefined)!;
    expect(failed.error).to.match(/^the database did not answer for/);
    // The scheduler takes the period up again (below): the reader has no run to recover.
    expect(failed.error).to.match(
      /; check the database server: the scheduler takes this period up again by itself once the database works again$/,
    );
    // Down long enough for the claim's end (tried through lease.ttlMs too) to fail as well: the claim stays open.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await outage.end();

    // The open claim's run has ended: the next ticks take the period up again (a takeover of the
    // row left in_progress, or a retry of a failed one: 5 min later, hence the clock).
    clock.set('2026-01-01T01:36:00Z');
    const second = () => reports.flatMap((r) => r.triggered).find((run) => run.attempt === 2 && run.result !== undefined);
    await until(() => second() !== undefined, 'a second attempt of 2026010100');
    await scheduler.stop();
    expect(second()).to.include({ timeperiod: '2026010100', mode: 'recover' });
    expect(['retry', 'takeover']).to.include(second()!.reason);
    expect(second()!.result!.state).to.equal('processed');
    expect((await t.app.status('gated_hourly', '2026010100')).flow.state).to.equal('processed');
    expect(await finishedClaims()).to.equal(2);
  });
});
