import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SynergyFlowApp } from '../../../src';
import { bootstrapBeside, startOtherEngine, stopAfterHeartbeat, type OtherEngine } from '../../viewer/other-engine';
import { SPEC_DATABASES, type SpecDatabase } from '../fixtures/spec-databases';

const TP = '2026120600';
const SHORT_LEASE = { ttlMs: 500, heartbeatMs: 100 };

/**
 * One rule says whether an engine is dead (leaseDeath): what app.activeRuns() - so the viewer and
 * its page - says of a run's engine is, word for word, what recover's takeover of that run writes in
 * the flow log, so a user who reads one finds the other.
 */
for (const kind of SPEC_DATABASES) {
  describe(`persistence/leaseDeath on ${kind.name}: activeRuns and the lock's takeover judge a dead engine alike`, function () {
    this.timeout(60_000);
    let db: SpecDatabase;
    let app: SynergyFlowApp;
    /** The hung engine, killed after its test. */
    let hung: OtherEngine | undefined;

    beforeEach(async () => {
      db = await kind.create();
      app = await bootstrapBeside(db);
    });

    afterEach(async () => {
      hung?.kill();
      hung = undefined;
      await app.close();
      await db.cleanup();
    });

    /** What activeRuns says of the run's engine once it says it is dead. */
    async function engineGoneOnceDead(): Promise<string> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const [run] = await app.activeRuns();
        if (run?.engineGone) return run.engineGone;
        if (Date.now() > deadline) throw new Error(`activeRuns never said the engine is dead: ${JSON.stringify(run)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    /** Waits until the other engine's run is in its first step, which holds until the gate file exists. */
    async function holding(): Promise<void> {
      while (!(await app.stepStates('file_gated', [TP])).some((s) => s.stepName === 'hold' && s.state === 'in_progress'))
        await new Promise((resolve) => setTimeout(resolve, 20));
    }

    /** The reason recover's takeover wrote in the flow log. */
    async function takeoverReason(): Promise<string> {
      fs.writeFileSync(path.join(db.dir, 'gate'), '');
      expect((await app.recover('file_gated', { timeperiod: TP })).state).to.equal('processed');
      const log = fs.readFileSync(path.join(db.dir, 'logs', 'file_gated', 'file_gated.log'), 'utf8');
      const line = /took the run over from .+? since \S+: (.*)$/m.exec(log);
      expect(line, `a takeover line in:\n${log}`).to.not.equal(null);
      return line![1];
    }

    it('a hung engine (SIGSTOP) whose lease expired: the same reason, with the time it expired', async () => {
      hung = startOtherEngine(db.dir, TP, { database: db.options, lease: SHORT_LEASE });
      await holding();
      await stopAfterHeartbeat(hung, db.options, TP);
      const engineGone = await engineGoneOnceDead();
      expect(engineGone).to.match(/^its lease expired at \d{4}-\d\d-\d\dT\S+Z without a heartbeat$/);
      expect(await takeoverReason()).to.equal(engineGone);
    });

    it('a killed engine (SIGKILL): the same reason, naming its pid', async () => {
      const other = startOtherEngine(db.dir, TP, { database: db.options, lease: SHORT_LEASE });
      await holding();
      process.kill(other.pid, 'SIGKILL');
      const engineGone = await engineGoneOnceDead();
      expect(engineGone).to.equal(`its process ${other.pid} is gone`);
      expect(await takeoverReason()).to.equal(engineGone);
    });
  });
}
