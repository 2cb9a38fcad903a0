import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bootstrap, type SynergyFlowApp } from '../../src';
import type { ViewerServer } from '../../src/viewer';
import { startPostgres, type PostgresServer, type PostgresTestOptions } from '../support/postgres-server';
import { FileGatedFlow } from './file-gated.flow';
import { eventsOf, reached, startOtherEngine } from './other-engine';
import { SseReader } from './sse-reader';

const TP = '2026120600';
const POLL_MS = 50;

/**
 * The several-engines set-up on PostgreSQL, as production runs it: the viewer in this process, another
 * engine in a real process of its own on the same database. The page follows that engine's run live,
 * and keeps following it through a restart of the database.
 */
describe('viewer on PostgreSQL: runs of another process followed live, through a database restart', function () {
  this.timeout(90_000);
  let server: PostgresServer;
  let database: PostgresTestOptions;
  let dir: string;
  let app: SynergyFlowApp;
  let viewer: ViewerServer;
  let reader: SseReader;
  let down: { end(): Promise<void> } | undefined;
  /** What the viewer's process wrote to stderr (its log of last resort) during the test. */
  let errorLines: string[];
  const consoleError = console.error;

  before(async () => (server = await startPostgres()));
  after(async () => server?.stop());

  beforeEach(async () => {
    errorLines = [];
    console.error = (...args: unknown[]) => void errorLines.push(args.map(String).join(' '));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-other-engines-pg-'));
    database = await server.createDatabase();
    app = await bootstrap({
      flows: [FileGatedFlow],
      database,
      logDirectory: path.join(dir, 'logs'),
      settings: { gateFile: path.join(dir, 'gate') },
    });
    await app.ready();
    viewer = await app.serve({ port: 0, otherEnginesPollMs: POLL_MS });
    reader = new SseReader(new URL(`/api/events?flow=file_gated&timeperiod=${TP}`, viewer.url).href);
    await reader.opened;
  });

  afterEach(async () => {
    // An outage a failed assertion left open: the next test finds the server up.
    await down?.end();
    down = undefined;
    reader?.close();
    await viewer?.close();
    await app?.close();
    console.error = consoleError;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("streams the other process's run (its zone nine hours ahead): its start, each step's start and end, then its end, each once", async () => {
    const other = startOtherEngine(dir, TP, { database }, 'Asia/Tokyo');
    await reader.until(reached('in_progress', 'hold'));
    fs.writeFileSync(path.join(dir, 'gate'), '');
    const result = await other.result;
    await reader.until(reached('processed'));

    const events = eventsOf(reader);
    expect(result.state).to.equal('processed');
    expect(events.every((e) => e.runId === result.runId && e.flowName === 'file_gated' && e.timeperiod === TP)).to.equal(true);
    expect(events[0]).to.include({ type: 'flow', state: 'in_progress', runMode: 'run' });
    expect(events.at(-1)).to.include({ type: 'flow', state: 'processed', runMode: 'run' });
    const steps = events.flatMap((e) => (e.type === 'step' ? [`${e.stepName} ${e.state} ${e.attempt}`] : []));
    expect(steps[0]).to.equal('hold in_progress 1');
    expect(steps).to.include.members(['hold processed 1', 'after processed 1']);
    expect(new Set(steps).size, 'each change told once').to.equal(steps.length);
    expect(events.filter((e) => e.type === 'flow').map((e) => e.state)).to.deep.equal(['in_progress', 'processed']);
  });

  it('goes on through a restart: no crash, one log line as it goes and one as it is back, the same stream carries the rest of the run and its end', async () => {
    const other = startOtherEngine(dir, TP, { database });
    await reader.until(reached('in_progress', 'hold'));
    const outage = await server.outage();
    down = outage;
    // Forty polls' worth of outage: each of them fails.
    await new Promise((resolve) => setTimeout(resolve, 40 * POLL_MS));
    down = undefined;
    await outage.end();
    fs.writeFileSync(path.join(dir, 'gate'), '');
    const result = await other.result;
    await reader.until(reached('processed'));

    expect(result.state).to.equal('processed');
    const steps = eventsOf(reader).flatMap((e) => (e.type === 'step' ? [`${e.stepName} ${e.state} ${e.attempt}`] : []));
    expect(steps).to.include.members(['hold processed 1', 'after processed 1']);
    expect(new Set(steps).size, 'each change told once').to.equal(steps.length);
    const followerLines = errorLines.filter((line) => line.includes('other engines'));
    expect(followerLines, errorLines.join('\n')).to.have.length(2);
    expect(followerLines[0]).to.match(/cannot read the runs of other engines.*will try again every 50 ms/);
    expect(followerLines[1]).to.match(/runs of other engines followed again/);
    expect(errorLines, 'nothing else logged').to.have.length(2);
    // The reader never reconnects: what came after the outage came on the stream opened before it.
    expect((await fetch(new URL('/healthz', viewer.url))).status, 'the viewer still serves').to.equal(200);
  });
});
