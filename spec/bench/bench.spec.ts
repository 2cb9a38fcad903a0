import { expect } from 'chai';
import { CHROMIUM, requireSystemTool } from '../support/system-tool';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parseBenchOptions } from '../../bench/bench-options';
import { runEngineScenario } from '../../bench/engine.scenario';
import { LAYER_WIDTH, noOpFlow } from '../../bench/no-op-flows';
import { distribution } from '../../bench/stats';
import { runInChild } from '../../bench/child.runner';
import { checkTargets, type BenchReport } from '../../bench/report';
import type { MemoryFigures } from '../../bench/peer.job';

/** The benchmark's own machinery: the figures it prints must mean what BENCHMARKS.md says. */
/** The rows of a script's table: the lines that start with a number, as numbers. */
function numericRows(out: string): number[][] {
  return out
    .split('\n')
    .filter((line) => /^\s+\d+\s/.test(line))
    .map((line) => line.trim().split(/\s+/).map(Number));
}

describe('bench: the benchmark harness', () => {
  it('builds the layered DAG of the issue: layers 50 wide, two dependencies each on the layer above', () => {
    const flow = noOpFlow('layered', 3 * LAYER_WIDTH);
    expect(flow.edges).to.have.length(2 * 2 * LAYER_WIDTH);
    const depsOf = new Map<string, string[]>();
    for (const [dep, step] of flow.edges) depsOf.set(step, [...(depsOf.get(step) ?? []), dep]);
    for (let i = LAYER_WIDTH; i < flow.steps; i++) {
      const deps = depsOf.get(flow.stepNames[i])!.map((d) => flow.stepNames.indexOf(d));
      expect(new Set(deps).size).to.equal(2);
      for (const d of deps) expect(Math.floor(d / LAYER_WIDTH)).to.equal(Math.floor(i / LAYER_WIDTH) - 1);
    }
    expect(noOpFlow('chain', 10).edges).to.have.length(9);
    expect(noOpFlow('independent', 10).edges).to.have.length(0);
  });

  it("measures each timeperiod's run from its events and its rows: every step persisted, every dependency finished first, one hop per dependent", async function () {
    this.timeout(30_000);
    const flow = noOpFlow('layered', 2 * LAYER_WIDTH + 10);
    const figures = await runEngineScenario(flow, undefined, ['2026112600', '2026112700', '2026112800']);
    expect([figures.first, ...figures.next].map((r) => r.timeperiod)).to.deep.equal(['2026112600', '2026112700', '2026112800']);
    expect(figures.next).to.include(figures.nextMedian);
    for (const run of [figures.first, ...figures.next]) {
      expect(run.persistedProcessed).to.equal(flow.steps);
      expect(run.orderedEdges).to.equal(flow.edges.length);
      expect(run.hopMs!.count).to.equal(flow.steps - LAYER_WIDTH);
      expect(run.hopMs!.p50).to.be.above(0);
      expect(run.stepsMs).to.be.above(0).and.below(run.runMs);
      expect(run.prepareMs + run.stepsMs + run.finishMs).to.be.at.most(run.runMs + 1);
    }
    const [slower] = [...figures.next].sort((a, b) => a.stepsPerSecond - b.stepsPerSecond);
    expect(figures.nextMedian).to.equal(slower, 'of two runs, the median is the lower one');
    expect(figures.maxOpenLogFiles).to.be.within(1, 64);
    expect(figures.peakRssMiB).to.be.above(10);
  });

  it("measures a flow's peak RSS in a process that runs that flow alone, on the shape it is given", async function () {
    this.timeout(60_000);
    const script = path.join(__dirname, '..', '..', 'bench', 'memory.entry.js');
    const job = { kind: 'memory', engine: 'synergy-flow-sqlite', shape: 'independent', steps: 120, runs: 2, concurrency: 2 } as const;
    const result = await runInChild(script, job, ['--expose-gc']);
    if (result.kind !== 'memory') throw new Error(`a memory job answered ${result.kind}`);
    expect(result.figures).to.include({ engine: 'synergy-flow-sqlite', shape: 'independent', steps: 120, runs: 2 });
    expect(result.figures.problems).to.deep.equal([]);
    expect(result.figures.peakRssMiB).to.be.above(20);
  });

  it("judges the 10,000-step peak RSS target by every large flow's own process, and shows the scenarios' figure beside it", () => {
    const memory = (shape: 'layered' | 'independent', peakRssMiB: number): MemoryFigures => ({
      engine: 'synergy-flow-sqlite',
      shape,
      steps: 10_000,
      runs: 4,
      peakRssMiB,
      problems: [],
    });
    const report: BenchReport = {
      date: '',
      machine: '',
      node: '',
      loadAverage: { before: [], after: [] },
      clusters: 2,
      processes: '',
      scenarios: [],
      bootstrapOnly: [],
      largeFlowMemory: [memory('layered', 171.2), memory('layered', 176.4), memory('independent', 168)],
    };
    const target = () => checkTargets(report).find((c) => /10,000-step flow/.test(c.target))!;
    expect(target()).to.deep.include({ measured: 'layered 171-176, independent 168 MiB (3 processes)', met: true });
    report.largeFlowMemory!.push(memory('independent', 201));
    expect(target()).to.deep.include({ measured: 'layered 171-176, independent 168-201 MiB (4 processes)', met: false });
    report.largeFlowMemory![0].problems.push('step s1 ran twice');
    report.largeFlowMemory!.pop();
    expect(target().met, 'a process whose runs were wrong proves nothing').to.equal(false);
  });

  it('reports nearest-rank percentiles: figures that were measured, never interpolated', () => {
    const d = distribution([5, 1, 4, 2, 3, 100, 6, 7, 8, 9])!;
    expect([d.count, d.p50, d.p99, d.max]).to.deep.equal([10, 5, 100, 100]);
    expect(distribution([])).to.equal(null);
  });

  it('refuses a bad flag with what it accepts', () => {
    expect(() => parseBenchOptions(['--clusters', '0'])).to.throw(/--clusters needs a whole number >= 1, got '0'/);
    expect(() => parseBenchOptions(['--only', 'diamond'])).to.throw(/--only needs shapes among chain, layered, independent/);
    expect(() => parseBenchOptions(['--fast'])).to.throw(/unknown option '--fast': use --json/);
    expect(parseBenchOptions(['--json'])).to.deep.equal({ jsonFile: 'bench-results.json' });
    expect(parseBenchOptions(['--json', 'out.json', '--clusters', '8', '--only', 'chain'])).to.deep.equal({
      jsonFile: 'out.json',
      clusters: 8,
      only: new Set(['chain']),
    });
  });

  it('rss-over-runs prints, for each run of one process, its resident size and the peak so far', function () {
    this.timeout(60_000);
    const script = path.join(__dirname, '..', '..', 'bench', 'rss-over-runs.js');
    const out = execFileSync(process.execPath, [script, '3', 'chain', '50'], { encoding: 'utf8' });
    const rows = numericRows(out);
    expect(rows.map((row) => row[0])).to.deep.equal([1, 2, 3]);
    for (const [, ms, rss, peak] of rows) {
      expect(ms).to.be.above(0);
      expect(peak).to.be.at.least(rss).and.above(10);
    }
    expect(() => execFileSync(process.execPath, [script, '0'], { encoding: 'utf8', stdio: 'pipe' })).to.throw(
      /usage: node dist\/bench\/rss-over-runs.js/,
    );
  });

  it("cost-by-size prints, for each flow size, a run's time and its fixed and per-step parts", function () {
    this.timeout(60_000);
    const script = path.join(__dirname, '..', '..', 'bench', 'cost-by-size.js');
    const out = execFileSync(process.execPath, [script, '4', 'chain', '1', '30'], { encoding: 'utf8' });
    const rows = numericRows(out);
    expect(rows.map((row) => row[0])).to.deep.equal([1, 30]);
    for (const [steps, runMs, perStep, stepsPhasePerStep, prepareMs, finishMs] of rows) {
      expect(perStep).to.be.closeTo((runMs * 1000) / steps, perStep * 0.01 + 0.1);
      expect(prepareMs + finishMs).to.be.below(runMs);
      expect(stepsPhasePerStep).to.be.above(0);
    }
    expect(() => execFileSync(process.execPath, [script, '1'], { encoding: 'utf8', stdio: 'pipe' })).to.throw(
      /usage: node dist\/bench\/cost-by-size.js/,
    );
  });

  it("sse-readers prints a run's time with no event-stream clients, with clients that read and with clients that never read, and the ratios", function () {
    this.timeout(120_000);
    const script = path.resolve(__dirname, '../../bench/sse-readers.js');
    const out = execFileSync(process.execPath, [script, '20', '100', '1'], { encoding: 'utf8' });
    expect(out).to.match(/^ {2}none +\d+ +1\.00x /m);
    expect(out).to.match(/^ {2}20 that read +\d+ +\d+\.\d\dx /m);
    expect(out).to.match(/^ {2}20 that never read +\d+ +\d+\.\d\dx /m);
    expect(() => execFileSync(process.execPath, [script, '0'], { encoding: 'utf8', stdio: 'pipe' })).to.throw(
      /usage: node dist\/bench\/sse-readers.js/,
    );
  });

  it("viewer-render prints, in Chromium, the page's time for a flow's grid and DAG beside an empty page's, and the ratios", function () {
    requireSystemTool(this, CHROMIUM);
    this.timeout(180_000);
    const script = path.resolve(__dirname, '../../bench/viewer-render.js');
    const out = execFileSync(process.execPath, [script, '300', '3', '1'], { encoding: 'utf8' });
    expect(out).to.match(/^ {2}empty page \(baseline\) +\d+ ms/m);
    expect(out).to.match(/^ {2}300-step flow, grid \+ DAG drawn +\d+ ms \(median of 1\)$/m);
    expect(out).to.match(/^ {2}ratio to the empty page: \d+\.\dx; to the 10-step page: \d+\.\dx$/m);
    expect(out).to.match(/^ {2}target < 2000 ms: (met|NOT met)/m);
    expect(() => execFileSync(process.execPath, [script, 'x'], { encoding: 'utf8', stdio: 'pipe' })).to.throw(
      /usage: node dist\/bench\/viewer-render.js/,
    );
  });
});
