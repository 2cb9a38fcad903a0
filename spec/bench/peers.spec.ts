import { expect } from 'chai';
import * as path from 'node:path';
import { parseBenchOptions } from '../../bench/bench-options';
import { runInChild } from '../../bench/child.runner';
import { runColdStart } from '../../bench/cold-start.scenario';
import { LAYER_WIDTH, noOpGraph } from '../../bench/no-op-graph';
import { runPeerComparison, type PeerComparison } from '../../bench/peer.comparison';
import type { PeerEngine, PeerRunFigures } from '../../bench/peer-run';
import { peerReport } from '../../bench/peers.report';
import { REDIS_MISSING, redisServerBinary } from '../../bench/redis-server';
import type { BenchJob } from '../../bench/scenario.job';
import { verifyStepRecords, type StepRecord } from '../../bench/step-record.verifier';

/** The bench's own script: the harness forks it (and memory.entry.js) as a user's `npm run bench` does. */
const RUN_SCRIPT = path.join(__dirname, '..', '..', 'bench', 'run.js');
const runJob = (job: BenchJob) =>
  runInChild(job.kind === 'memory' ? path.join(__dirname, '..', '..', 'bench', 'memory.entry.js') : RUN_SCRIPT, job);

/** A correct record set of a graph: every step once, each a millisecond after the one before. */
function rightRecords(graph: ReturnType<typeof noOpGraph>): StepRecord[] {
  return graph.stepNames.map((step, i) => ({ step, startedAt: 1_000 + 2 * i, finishedAt: 1_001 + 2 * i, runs: 1 }));
}

describe('bench: the comparison with the peers (issue 22)', () => {
  it("verifies every engine's records alike: a missing, doubled, rerun, unknown or early step is reported, a right set is not", () => {
    const graph = noOpGraph('chain', 5);
    const right = rightRecords(graph);
    expect(verifyStepRecords(graph, right)).to.deep.equal([]);
    expect(verifyStepRecords(graph, right.slice(1))).to.deep.equal(['1 of 5 steps have no record (s00000)']);
    expect(verifyStepRecords(graph, [...right, right[2]])).to.deep.equal(['step s00002 has 2 records']);
    expect(
      verifyStepRecords(
        graph,
        right.map((r, i) => (i === 3 ? { ...r, runs: 2 } : r)),
      ),
    ).to.deep.equal(['step s00003 ran 2 times']);
    expect(verifyStepRecords(graph, [...right, { step: 'zz', startedAt: 0, finishedAt: 0, runs: 1 }])).to.deep.equal([
      'step zz is not in the flow',
    ]);
    // s00004 started before s00003, its dependency, finished
    const early = right.map((r, i) => (i === 4 ? { ...r, startedAt: right[3].finishedAt - 0.5 } : r));
    expect(verifyStepRecords(graph, early)).to.deep.equal(['step s00004 started 0.5 ms before its dependency s00003 finished']);
  });

  it("fails the verification target when an engine's records were wrong, and names the engine and the problem", () => {
    const run = (engine: PeerEngine, problems: string[]): PeerRunFigures => ({
      engine,
      shape: 'layered',
      steps: 20,
      concurrency: 4,
      runMs: 10,
      stepsPerSecond: 2_000,
      hopMs: null,
      problems,
    });
    const comparison = (runs: PeerRunFigures[]): PeerComparison => ({
      runs,
      medians: runs,
      memory: [],
      skipped: [],
      postgres: 'PostgreSQL',
      redis: null,
    });
    const graph = noOpGraph('chain', 3);
    const wrong = verifyStepRecords(graph, rightRecords(graph).slice(0, 2));
    const failed = peerReport(comparison([run('synergy-flow-postgres', []), run('bullmq', wrong)]), undefined).checks.find((c) =>
      /every engine/.test(c.target),
    )!;
    expect(failed.met).to.equal(false);
    expect(failed.measured).to.equal('bullmq layered: 1 of 3 steps have no record (s00002)');
    const passed = peerReport(comparison([run('synergy-flow-postgres', []), run('bullmq', [])]), undefined).checks.find((c) =>
      /every engine/.test(c.target),
    )!;
    expect(passed).to.include({ met: true, measured: 'all 2 runs' });
  });

  it('runs synergy-flow on durable PostgreSQL, graphile-worker and BullMQ on the same small DAGs in fresh processes, every run verified, and their peak RSS', async function () {
    this.timeout(300_000);
    const redis = redisServerBinary() !== undefined;
    if (!redis) {
      if (process.env.SYNERGY_REQUIRE_TOOLS === '1') throw new Error(`${REDIS_MISSING}; SYNERGY_REQUIRE_TOOLS=1 requires it`);
      console.log(`      ${REDIS_MISSING}: this spec checks the other engines`);
    }
    const sizes = { chain: 20, layered: 2 * LAYER_WIDTH + 10, independent: 20 };
    const logged: string[] = [];
    const result = await runPeerComparison({
      sizes,
      repetitions: 1,
      concurrency: 4,
      memory: { steps: sizes.layered, runs: 2 },
      runJob,
      log: (line) => logged.push(line),
    });
    const engines: PeerEngine[] = ['synergy-flow-postgres', 'graphile-worker', ...(redis ? (['bullmq'] as const) : [])];
    expect(result.postgres)
      .to.match(/fsync on/)
      .and.match(/synchronous_commit on/);
    expect(result.runs.map((r) => `${r.engine} ${r.shape}`).sort()).to.deep.equal(
      engines.flatMap((e) => Object.keys(sizes).map((shape) => `${e} ${shape}`)).sort(),
    );
    for (const run of result.runs) {
      expect(run.problems, `${run.engine} ${run.shape}`).to.deep.equal([]);
      expect(run.steps).to.equal(sizes[run.shape as keyof typeof sizes]);
      expect(run.stepsPerSecond, `${run.engine} ${run.shape}`).to.be.above(0);
      if (run.shape === 'independent') expect(run.hopMs).to.equal(null);
      else
        expect(run.hopMs!.count, `${run.engine} ${run.shape} hops`).to.equal(
          run.shape === 'chain' ? sizes.chain - 1 : sizes.layered - LAYER_WIDTH,
        );
    }
    expect(result.medians).to.have.length(result.runs.length);
    expect(result.skipped).to.deep.equal(redis ? [] : [REDIS_MISSING]);
    expect(result.memory.map((m) => m.engine)).to.deep.equal([
      'synergy-flow-sqlite',
      'synergy-flow-postgres',
      ...(redis ? ['bullmq'] : []),
    ]);
    for (const m of result.memory) {
      expect(m.problems, m.engine).to.deep.equal([]);
      expect(m.peakRssMiB, m.engine).to.be.above(20);
    }
    const report = peerReport(result, undefined);
    expect(report.checks.find((c) => /every engine/.test(c.target))).to.include({ met: true });
    expect(report.checks.filter((c) => /item 5/.test(c.target))).to.have.length(redis ? 2 : 0);
  });

  it('times `synergy-flow run` of the layered flow from a fresh process beside a warm run, and states the target', async function () {
    this.timeout(120_000);
    const cold = await runColdStart(2 * LAYER_WIDTH + 10, runJob);
    expect(cold.failures).to.deep.equal([]);
    expect(cold.coldMs).to.have.length(4);
    expect(cold.coldMedianMs).to.be.above(cold.warmMs, 'a fresh node process also starts node and loads the engine');
    expect(cold.targetMs).to.equal(2 * cold.warmMs + 150);
    const check = peerReport(undefined, cold).checks[0];
    expect(check.target).to.equal('cold `synergy-flow run` of the layered 110 <= 2x warm + 150 ms (item 4)');
    expect(check.met).to.equal(cold.coldMedianMs <= cold.targetMs);
  });

  it('names a failed job without the PostgreSQL password its options carry', async () => {
    const job: BenchJob = {
      kind: 'peer',
      engine: 'graphile-worker',
      shape: 'chain',
      steps: 3,
      concurrency: 1,
      postgres: { type: 'postgres', host: '127.0.0.1', port: 1, username: 'postgres', password: 'pw-never-shown', database: 'x' },
    };
    const failed = await runInChild(path.join(__dirname, 'no-such-script.js'), job).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(failed?.message).to.match(/^benchmark job \{"kind":"peer","engine":"graphile-worker".*exited with code 1$/);
    expect(failed?.message).to.not.include('pw-never-shown');
  });

  it('picks suites and repetitions from the command line, and refuses an unknown suite', () => {
    expect(parseBenchOptions(['--suite', 'peers,cold', '--repetitions', '5'])).to.deep.equal({
      suites: new Set(['peers', 'cold']),
      repetitions: 5,
    });
    expect(() => parseBenchOptions(['--suite', 'redis'])).to.throw(/--suite needs suites among sqlite, peers, cold, memory, got 'redis'/);
    expect(() => parseBenchOptions(['--repetitions', '0'])).to.throw(/--repetitions needs a whole number >= 1/);
  });
});
