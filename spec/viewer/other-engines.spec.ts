import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bootstrap, ConfigurationError, type FlowEvent, type SynergyFlowApp } from '../../src';
import type { ViewerServer } from '../../src/viewer';
import { FileGatedFlow } from './file-gated.flow';
import { eventsOf, startOtherEngine } from './other-engine';
import { SseReader } from './sse-reader';

const TP = '2026120600';

/**
 * The documented set-up of several engines: scheduler or CLI processes run the flows, `serve` runs
 * beside them on the same database. Their runs' events stay in their own processes; the viewer reads
 * the database while a page listens and streams what changed, so the page follows those runs live.
 */
describe('viewer: runs of other engines sharing the database, followed live', () => {
  let dir: string;
  let app: SynergyFlowApp;
  let viewer: ViewerServer;
  const readers: SseReader[] = [];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-other-engines-'));
    app = await bootstrap({
      flows: [FileGatedFlow],
      database: { type: 'better-sqlite3', database: path.join(dir, 'state.db') },
      logDirectory: path.join(dir, 'logs'),
      settings: { gateFile: path.join(dir, 'gate') },
    });
    await app.ready();
  });

  afterEach(async () => {
    for (const reader of readers.splice(0)) reader.close();
    await viewer?.close();
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const otherEngine = () => startOtherEngine(dir, TP).result;
  const listen = (pollMs: number) => {
    const reader = new SseReader(new URL(`/api/events?flow=file_gated&timeperiod=${TP}`, viewer.url).href);
    readers.push(reader);
    return { reader, pollMs };
  };

  it("streams another process's run: its start, each step's start and end, then its end, with its run id", async () => {
    viewer = await app.serve({ port: 0, otherEnginesPollMs: 50 });
    const { reader } = listen(50);
    await reader.opened;
    const other = otherEngine();

    // The gate opens only once the page was told the step holds: what it is told then is live, not read afterwards.
    await reader.until((m) => m.event === 'step' && JSON.parse(m.data).stepName === 'hold' && JSON.parse(m.data).state === 'in_progress');
    fs.writeFileSync(path.join(dir, 'gate'), '');
    const result = await other;
    await reader.until((m) => m.event === 'flow' && JSON.parse(m.data).state === 'processed');

    const events = eventsOf(reader);
    expect(result.state).to.equal('processed');
    expect(events.every((e) => e.runId === result.runId && e.flowName === 'file_gated' && e.timeperiod === TP)).to.equal(true);
    expect(events[0]).to.include({ type: 'flow', state: 'in_progress', runMode: 'run' });
    expect(events.at(-1)).to.include({ type: 'flow', state: 'processed', runMode: 'run' });
    const steps = events.filter((e) => e.type === 'step').map((e) => `${e.stepName} ${e.state} ${e.attempt}`);
    expect(steps[0]).to.equal('hold in_progress 1');
    expect(steps).to.include.members(['hold processed 1', 'after processed 1']);
    expect(steps.indexOf('hold processed 1')).to.be.above(0);
    // Each change is told once, however many polls saw it.
    expect(new Set(steps).size).to.equal(steps.length);
    // The page's own reads agree with what it was told.
    const status = await app.status('file_gated', TP);
    expect(status.steps.map((s) => `${s.stepName} ${s.state}`)).to.have.members(['hold processed', 'after processed']);
  });

  it("a viewer's own runs are streamed once, as they happen, not a second time from the database", async () => {
    viewer = await app.serve({ port: 0, otherEnginesPollMs: 20 });
    const { reader } = listen(20);
    await reader.opened;
    fs.writeFileSync(path.join(dir, 'gate'), '');
    const own: FlowEvent[] = [];
    const subscription = app.events$.subscribe((e) => own.push(e));
    const result = await app.run('file_gated', { timeperiod: TP });
    subscription.unsubscribe();
    await reader.until((m) => m.event === 'flow' && JSON.parse(m.data).state === 'processed');
    // Polls go on every 20 ms after the run's end; the stream sends what they would add within its next batch (250 ms).
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(eventsOf(reader).filter((e) => e.runId === result.runId)).to.deep.equal(JSON.parse(JSON.stringify(own)));
  });

  it('with otherEnginesPollMs: 0 the viewer never reads for them', async () => {
    viewer = await app.serve({ port: 0, otherEnginesPollMs: 0 });
    const { reader } = listen(0);
    await reader.opened;
    fs.writeFileSync(path.join(dir, 'gate'), '');
    expect(await otherEngine()).to.include({ state: 'processed' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(eventsOf(reader)).to.deep.equal([]);
  });

  it('app.activeRuns() lists the runs in progress in any engine, and those ended since a date', async () => {
    const before = new Date(Date.now() - 1000);
    const other = otherEngine();
    let running = await app.activeRuns();
    while (running.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      running = await app.activeRuns();
    }
    expect(running.map((r) => [r.flowName, r.timeperiod, r.state, r.trigger])).to.deep.equal([['file_gated', TP, 'in_progress', 'api']]);
    expect(running[0].instanceId, 'the other engine').to.not.equal((await app.health()).instanceId);
    expect(running[0]).to.not.have.property('attempts');
    fs.writeFileSync(path.join(dir, 'gate'), '');
    const result = await other;

    expect(await app.activeRuns(), 'none in progress any more').to.deep.equal([]);
    const ended = await app.activeRuns({ endedSince: before });
    expect(ended.map((r) => [r.runId, r.state])).to.deep.equal([[result.runId, 'processed']]);
    expect(await app.activeRuns({ endedSince: new Date(Date.now() + 60_000) })).to.deep.equal([]);

    const error = await app.activeRuns({ endedSince: new Date('never') }).catch((err: unknown) => err);
    expect(error).to.be.instanceOf(ConfigurationError);
    expect((error as Error).message).to.include('endedSince: must be a valid Date, got Invalid Date');
  });
});
