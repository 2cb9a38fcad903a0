import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const LIBRARY = path.resolve(__dirname, '../../src/index.js');
const SAMPLES = path.resolve(__dirname, '../../samples/index.js');

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
    const script = `
require(${JSON.stringify(require.resolve('reflect-metadata'))});
const { bootstrap, recordSchedulerLag } = require(${JSON.stringify(LIBRARY)});
const { HelloWorldFlow } = require(${JSON.stringify(SAMPLES)});
const loaded = () => Object.keys(require.cache).filter((file) => file.includes('/node_modules/@opentelemetry/')).length;
(async () => {
  const app = await bootstrap({ flows: [HelloWorldFlow], database: { type: 'better-sqlite3', database: ':memory:' }, logDirectory: ${JSON.stringify(dir)} });
  try {
    await app.run('hello_world', { timeperiod: '2026112600' });
    recordSchedulerLag('hello_world', 5);
    console.log('without an SDK: ' + loaded());
    const { trace } = require(${JSON.stringify(require.resolve('@opentelemetry/api'))});
    const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require(${JSON.stringify(require.resolve('@opentelemetry/sdk-trace-base'))});
    const exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    await app.run('hello_world', { timeperiod: '2026112700' });
    console.log('spans: ' + JSON.stringify([...new Set(exporter.getFinishedSpans().map((s) => s.name))].sort()));
  } finally {
    await app.close();
  }
})().catch((err) => { console.error(err); process.exitCode = 1; });`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.include('without an SDK: 0\n');
    expect(result.stdout).to.include('spans: ["synergy-flow.action","synergy-flow.run","synergy-flow.step"]');
  });
});
