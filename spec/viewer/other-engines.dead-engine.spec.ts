import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FlowEvent, SynergyFlowApp } from '../../src';
import type { ViewerServer } from '../../src/viewer';
import { SPEC_DATABASES, type SpecDatabase } from '../persistence/fixtures/spec-databases';
import { bootstrapBeside, eventsOf, reached, startOtherEngine } from './other-engine';
import { SseReader } from './sse-reader';

const TP = '2026120600';
const POLL_MS = 50;

/**
 * An engine killed in the middle of a run (kill -9, an OOM kill, a lost machine) leaves its run in
 * progress in the database: nothing runs it, and nothing will until `recover`. Like a dashboard of
 * Airflow (a zombie task) or Dagster (a run whose worker is gone), the viewer tells that run apart
 * from a running one instead of showing it running for ever, and stops reading its steps every poll.
 */
for (const kind of SPEC_DATABASES) {
  describe(`viewer on ${kind.name}: a run of another engine that was killed mid-run`, function () {
    this.timeout(60_000);
    let db: SpecDatabase;
    let dir: string;
    let app: SynergyFlowApp;
    let viewer: ViewerServer;
    let reader: SseReader;
    /** How often the viewer read the steps of file_gated (what each poll costs for a followed run). */
    let stepReads: number;

    beforeEach(async () => {
      db = await kind.create();
      dir = db.dir;
      app = await bootstrapBeside(db);
      await app.ready();
      stepReads = 0;
      const stepStates = app.stepStates.bind(app);
      app.stepStates = (...args) => {
        stepReads++;
        return stepStates(...args);
      };
      viewer = await app.serve({ port: 0, otherEnginesPollMs: POLL_MS });
      reader = new SseReader(new URL(`/api/events?flow=file_gated&timeperiod=${TP}`, viewer.url).href);
      await reader.opened;
    });

    afterEach(async () => {
      reader?.close();
      await viewer?.close();
      await app?.close();
      await db.cleanup();
    });

    it('activeRuns says its engine is gone; the stream tells it once, then reads its steps no more; recover ends it on the stream', async () => {
      const other = startOtherEngine(dir, TP, { database: db.options, lease: { ttlMs: 500, heartbeatMs: 100 } });
      await reader.until(reached('in_progress', 'hold'));
      const [alive] = await app.activeRuns();
      expect(alive, 'a live engine').to.include({ state: 'in_progress', engineGone: null });

      process.kill(other.pid, 'SIGKILL');
      const gone = await reader.until((m) => m.event === 'flow' && 'engineGone' in JSON.parse(m.data));
      const [dead] = await app.activeRuns();
      expect(dead).to.include({ runId: alive.runId, state: 'in_progress' });
      expect(dead.engineGone).to.match(/^its process \d+ is gone$|^its lease expired at \S+ without a heartbeat$/);
      expect(JSON.parse(gone.data)).to.include({ runId: alive.runId, state: 'in_progress', runMode: 'run', engineGone: dead.engineGone });

      const detail = (await (await fetch(new URL(`/api/flows/file_gated/runs/${TP}`, viewer.url))).json()) as {
        state: string;
        engineGone: string;
      };
      expect(detail, "the run's snapshot says it too").to.include({ state: 'in_progress', engineGone: dead.engineGone });

      // Twenty polls later: not one more read of its steps, nothing more on the stream.
      const readsThen = stepReads;
      const eventsThen = reader.messages.length;
      await new Promise((resolve) => setTimeout(resolve, 20 * POLL_MS + 300));
      expect(stepReads, 'reads of its steps after it was told dead').to.equal(readsThen);
      expect(reader.messages.length).to.equal(eventsThen);
      const ofDead = eventsOf(reader).filter((e) => e.runId === alive.runId);
      const told = (e: FlowEvent) => (e.type === 'step' ? `${e.stepName} ${e.state}` : e.type === 'flow' ? `run ${e.state}` : e.type);
      expect(ofDead.map(told)).to.deep.equal(['run in_progress', 'hold in_progress', 'run in_progress']);

      // recover (here, in the viewer's own application) closes the dead run: its end is streamed.
      fs.writeFileSync(path.join(dir, 'gate'), '');
      const recovered = await app.recover('file_gated', { timeperiod: TP });
      expect(recovered.state).to.equal('processed');
      const ended = await reader.until(
        (m) => m.event === 'flow' && JSON.parse(m.data).runId === alive.runId && JSON.parse(m.data).state !== 'in_progress',
      );
      expect(JSON.parse(ended.data) as FlowEvent)
        .to.include({ state: 'invalid' })
        .and.not.have.property('engineGone');
      expect(await app.activeRuns()).to.deep.equal([]);
    });
  });
}
