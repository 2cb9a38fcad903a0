import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runWithAppInChild } from '../support/app-in-child';

/**
 * Until an application registers an OpenTelemetry SDK, every call of the API is a no-op, and
 * loading it (44 modules, ~14 ms) was all a run got from it. A run, the scheduler's lag and the
 * viewer's metrics now leave it unloaded; a run started once an SDK is registered records. In a
 * child process: the spec process has the API loaded already.
 */
describe('telemetry: @opentelemetry/api is loaded only once an SDK is registered', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-otel-loading-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a run and a recorded scheduler lag without an SDK load no module of it; the first run after one is registered makes its span', () => {
    const out = runWithAppInChild(
      dir,
      `
    await app.run('hello_world', { timeperiod: '2026112600' });
    recordSchedulerLag('hello_world', 5);
    console.log('without an SDK: ' + loaded('@opentelemetry'));
    const { trace } = require(${JSON.stringify(require.resolve('@opentelemetry/api'))});
    const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require(${JSON.stringify(require.resolve('@opentelemetry/sdk-trace-base'))});
    const exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    await app.run('hello_world', { timeperiod: '2026112700' });
    console.log('spans: ' + JSON.stringify([...new Set(exporter.getFinishedSpans().map((s) => s.name))].sort()));`,
    );
    expect(out).to.include('without an SDK: 0\n');
    expect(out).to.include('spans: ["synergy-flow.action","synergy-flow.run","synergy-flow.step"]');
  });
});
