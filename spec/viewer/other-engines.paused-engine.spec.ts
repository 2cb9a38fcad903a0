import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FlowEvent, SynergyFlowApp } from '../../src';
import type { ViewerServer } from '../../src/viewer';
import { SPEC_DATABASES, type SpecDatabase } from '../persistence/fixtures/spec-databases';
import { bootstrapBeside, eventsOf, reached, startOtherEngine, stopAfterHeartbeat, type OtherEngine } from './other-engine';
import { SseReader, type SseMessage } from './sse-reader';

const TP = '2026120600';
const POLL_MS = 50;
const SHORT_LEASE = { ttlMs: 500, heartbeatMs: 100 };

/**
 * An engine that hangs (SIGSTOP, a frozen VM, a long GC pause) keeps its pid but stops renewing its
 * lease: once the lease expired, the viewer tells its run's engine gone, as it would a killed one's.
 * Continued (SIGCONT), the engine renews the lease it still holds (nobody took it over) and goes on
 * with its run: the page is told the run is in progress again, its steps afresh, then every step it
 * runs from then on, and its end - not left saying "engine gone" for a run that goes on.
 */
for (const kind of SPEC_DATABASES) {
  describe(`viewer on ${kind.name}: a run of another engine that hung, then came back`, function () {
    this.timeout(60_000);
    let db: SpecDatabase;
    let app: SynergyFlowApp;
    let viewer: ViewerServer;
    let reader: SseReader;
    let other: OtherEngine | undefined;

    beforeEach(async () => {
      db = await kind.create();
      app = await bootstrapBeside(db);
      viewer = await app.serve({ port: 0, otherEnginesPollMs: POLL_MS });
      reader = new SseReader(new URL(`/api/events?flow=file_gated&timeperiod=${TP}`, viewer.url).href);
      await reader.opened;
    });

    afterEach(async () => {
      other?.kill();
      other = undefined;
      reader?.close();
      await viewer?.close();
      await app?.close();
      await db.cleanup();
    });

    /** The first message after `after` that satisfies `predicate`. */
    const next = (after: SseMessage, predicate: (m: SseMessage) => boolean) =>
      reader.until((m) => reader.messages.indexOf(m) > reader.messages.indexOf(after) && predicate(m));
    const flowEvent = (m: SseMessage) =>
      m.event === 'flow' ? (JSON.parse(m.data) as { runId: string; state: string; runMode: string; engineGone?: string }) : undefined;
    const snapshot = async () =>
      (await (await fetch(new URL(`/api/flows/file_gated/runs/${TP}`, viewer.url))).json()) as { state: string; engineGone: string | null };

    it('told gone once its lease expired; continued, told in progress again with its steps, then its new steps and its end', async () => {
      other = startOtherEngine(db.dir, TP, { database: db.options, lease: SHORT_LEASE });
      await reader.until(reached('in_progress', 'hold'));
      await stopAfterHeartbeat(other, db.options, TP);

      const gone = await reader.until((m) => flowEvent(m)?.engineGone !== undefined);
      expect(flowEvent(gone)!.engineGone).to.match(/^its lease expired at \S+ without a heartbeat$/);
      expect(await snapshot()).to.include({ state: 'in_progress', engineGone: flowEvent(gone)!.engineGone });

      process.kill(other.pid, 'SIGCONT');
      const back = await next(gone, (m) => flowEvent(m)?.state === 'in_progress');
      expect(flowEvent(back), 'in progress again, its engine alive').to.include({ runId: flowEvent(gone)!.runId, runMode: 'run' });
      expect(flowEvent(back)).to.not.have.property('engineGone');
      // The page redraws the run's steps from what it is told after that start: hold, as the engine has it.
      await next(back, reached('in_progress', 'hold'));
      const [run] = await app.activeRuns();
      expect(run).to.include({ runId: flowEvent(gone)!.runId, state: 'in_progress', engineGone: null });
      expect(await snapshot()).to.include({ state: 'in_progress', engineGone: null });

      // It goes on: what it runs from now on is told, and its end.
      fs.writeFileSync(path.join(db.dir, 'gate'), '');
      await next(back, reached('processed', 'after'));
      const end = await next(back, (m) => flowEvent(m)?.state === 'processed');
      expect(flowEvent(end))
        .to.include({ runId: flowEvent(gone)!.runId })
        .and.not.have.property('engineGone');
      expect((await other.result).state).to.equal('processed');
      const ofRun = eventsOf(reader).filter((e) => e.runId === flowEvent(gone)!.runId);
      const told = (e: FlowEvent) => (e.type === 'step' ? `${e.stepName} ${e.state}` : `run ${e.type === 'flow' ? e.state : e.type}`);
      expect(ofRun.slice(0, 5).map(told), 'start, gone, back').to.deep.equal([
        'run in_progress',
        'hold in_progress',
        'run in_progress',
        'run in_progress',
        'hold in_progress',
      ]);
      expect(ofRun.map(told).at(-1)).to.equal('run processed');
    });
  });
}
