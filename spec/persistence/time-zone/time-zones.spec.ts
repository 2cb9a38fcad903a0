import { expect } from 'chai';
import { SPEC_DATABASES, type SpecDatabase } from '../fixtures/spec-databases';
import { RETRY_DELAY_MS } from './failing-daily.flow';
import type { ZoneEngineReply } from './zone-engine.process';
import { inTimeZone } from './zone-engine';

const TOKYO = 'Asia/Tokyo'; // UTC+9
const LOS_ANGELES = 'America/Los_Angeles'; // UTC-8 in winter, -7 in summer: 16 or 17 hours from Tokyo

/** Yesterday's daily period (UTC): ended, so due, and the only period of a schedule that starts there. */
function yesterday(): string {
  const day = new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString();
  return `${day.slice(0, 4)}${day.slice(5, 7)}${day.slice(8, 10)}00`;
}

/** Each time the reader read lies within the writer's run, by the real clock. */
function expectWithinRun(written: ZoneEngineReply, read: ZoneEngineReply): void {
  const [from, to] = [Date.parse(written.before!), Date.parse(written.after!)];
  for (const what of ['flow', 'step', 'run', 'attempt'] as const) {
    for (const [field, value] of Object.entries(read[what]!)) {
      const at = Date.parse(value);
      expect(at >= from && at <= to, `${what}.${field} ${value} within the run, ${written.before} to ${written.after}`).to.equal(true);
    }
  }
}

for (const kind of SPEC_DATABASES) {
  describe(`persistence/time zones on ${kind.name}: a time is the same instant for engines in any zone`, function () {
    // Each engine is a node process of its own (its zone is fixed as it starts): seconds apiece.
    this.timeout(120_000);
    let db: SpecDatabase;
    let timeperiod: string;
    beforeEach(async () => {
      db = await kind.create();
      timeperiod = yesterday();
    });
    afterEach(async () => db.cleanup());
    const request = (action: 'fail' | 'read', tickAt?: string[]) => ({
      action,
      database: db.options,
      logDirectory: db.dir,
      timeperiod,
      tickAt,
    });

    it('a run an engine in Tokyo wrote reads, in Los Angeles, as the instants it happened at (status, history)', async () => {
      const written = await inTimeZone(TOKYO, request('fail'));
      const read = await inTimeZone(LOS_ANGELES, request('read'));
      expectWithinRun(written, read);
      const readAtHome = await inTimeZone(TOKYO, request('read'));
      expect(read.flow, 'the writer reads the same').to.deep.equal(readAtHome.flow);
    });

    it('a failure an engine in Los Angeles wrote is retried by a scheduler in Tokyo retryDelayMs after it, not hours off', async () => {
      const written = await inTimeZone(LOS_ANGELES, request('fail'));
      const soon = new Date(Date.parse(written.after!) + 1_000).toISOString();
      const due = new Date(Date.parse(written.after!) + RETRY_DELAY_MS + 1_000).toISOString();
      const read = await inTimeZone(TOKYO, request('read', [soon, due]));
      expectWithinRun(written, read);
      expect(read.plan!.status).to.equal('retry');
      expect(read.plan!.dueAt, 'due retryDelayMs after the run ended').to.equal(
        new Date(Date.parse(read.flow!.finishedAt) + RETRY_DELAY_MS).toISOString(),
      );
      expect(read.ticks, 'not retried a second after the failure; retried once the delay is over').to.deep.equal([[], [timeperiod]]);
    });
  });
}
