import type { ColdStartFigures } from './cold-start.scenario';
import type { PeerComparison } from './peer.comparison';
import type { PeerEngine, PeerRunFigures } from './peer-run';
import { int, ms, ratio, table, type TargetCheck } from './report';

const ENGINE_LABELS: Record<PeerEngine, string> = {
  'synergy-flow-postgres': 'synergy-flow, PostgreSQL',
  'graphile-worker': 'graphile-worker, same PostgreSQL',
  bullmq: 'BullMQ FlowProducer, Redis AOF everysec',
};

/** The comparison with the peers, the cold start and the memory, as lines of the report and target checks (issue 22). */
export function peerReport(
  peers: PeerComparison | undefined,
  cold: ColdStartFigures | undefined,
): { lines: string[]; checks: TargetCheck[] } {
  const lines: string[] = [];
  const checks: TargetCheck[] = [];
  if (peers) {
    const { medians } = peers;
    const find = (engine: PeerEngine, shape: string) => medians.find((m) => m.engine === engine && m.shape === shape);
    const concurrency = medians[0]?.concurrency ?? 0;
    const reps = Math.max(0, ...medians.map((m) => peers.runs.filter((r) => r.engine === m.engine && r.shape === m.shape).length));
    lines.push(
      `beside its peers (issue 22): ${peers.postgres}; ${peers.redis ?? 'no redis-server'}; concurrency ${concurrency}; median of ${reps} fresh processes each, interleaved`,
    );
    const header = [
      'engine',
      'chain hop p50',
      'chain hop p99',
      'chain steps/s',
      'layered steps/s',
      'independent steps/s',
      'x BullMQ (chain hop, layered, independent)',
      'x graphile',
    ];
    const rows: string[][] = [];
    const bullmq = { chain: find('bullmq', 'chain'), layered: find('bullmq', 'layered'), independent: find('bullmq', 'independent') };
    const graphile = {
      chain: find('graphile-worker', 'chain'),
      layered: find('graphile-worker', 'layered'),
      independent: find('graphile-worker', 'independent'),
    };
    for (const engine of Object.keys(ENGINE_LABELS) as PeerEngine[]) {
      const chain = find(engine, 'chain');
      const layered = find(engine, 'layered');
      const independent = find(engine, 'independent');
      if (!chain && !layered && !independent) continue;
      rows.push([
        `${ENGINE_LABELS[engine]}`,
        chain?.hopMs ? ms(chain.hopMs.p50) : '-',
        chain?.hopMs ? ms(chain.hopMs.p99) : '-',
        chain ? `${int(chain.stepsPerSecond)} (${int(chain.steps)})` : '-',
        layered ? `${int(layered.stepsPerSecond)} (${int(layered.steps)})` : '-',
        independent ? `${int(independent.stepsPerSecond)} (${int(independent.steps)})` : '-',
        [hopRatio(chain, bullmq.chain), rateRatio(layered, bullmq.layered), rateRatio(independent, bullmq.independent)].join(' '),
        [hopRatio(chain, graphile.chain), rateRatio(layered, graphile.layered), rateRatio(independent, graphile.independent)].join(' '),
      ]);
    }
    lines.push(...table(header, rows));
    lines.push("  steps/s: flow handed to the engine -> last step done and recorded; hop: a dependency's code returned -> its");
    lines.push("  dependent's code started, in every engine (synergy-flow: its main actions; peers: their job processors).");
    lines.push("  x BullMQ of a hop: BullMQ's hop / this one (above 1: shorter). Every run of each engine, in the order they ran:");
    for (const engine of Object.keys(ENGINE_LABELS) as PeerEngine[]) {
      for (const shape of ['chain', 'layered', 'independent']) {
        const runs = peers.runs.filter((r) => r.engine === engine && r.shape === shape);
        if (runs.length)
          lines.push(
            `    ${engine} ${shape}: ${runs.map((r) => (shape === 'chain' ? `hop p50 ${ms(r.hopMs?.p50 ?? NaN)}` : `${int(r.stepsPerSecond)}/s`)).join(', ')}`,
          );
      }
    }
    for (const skipped of peers.skipped) lines.push(`  skipped: ${skipped}`);
    const sf = {
      chain: find('synergy-flow-postgres', 'chain'),
      layered: find('synergy-flow-postgres', 'layered'),
      independent: find('synergy-flow-postgres', 'independent'),
    };
    for (const shape of ['layered', 'independent'] as const) {
      const mine = sf[shape];
      const theirs = bullmq[shape];
      if (mine && theirs) {
        const r = mine.stepsPerSecond / theirs.stepsPerSecond;
        checks.push({
          target: `PostgreSQL durable, ${shape} ${int(mine.steps)} at ${concurrency}: >= 1.0x BullMQ-AOF steps/s (item 2)`,
          measured: `${int(mine.stepsPerSecond)} vs ${int(theirs.stepsPerSecond)} = ${ratio(r)}`,
          met: r >= 1,
        });
      }
    }
    if (sf.chain?.hopMs && bullmq.chain?.hopMs) {
      checks.push({
        target: "PostgreSQL durable, chain hop p50 <= BullMQ's (item 2)",
        measured: `${ms(sf.chain.hopMs.p50)} vs ${ms(bullmq.chain.hopMs.p50)}`,
        met: sf.chain.hopMs.p50 <= bullmq.chain.hopMs.p50,
      });
    }
    const wrong = peers.runs.filter((r) => r.problems.length);
    checks.push({
      target: "every engine's every run verified: each step ran once, after its dependencies, its record persisted (item 1)",
      measured: wrong.length
        ? wrong.map((r) => `${r.engine} ${r.shape}: ${r.problems.join('; ')}`).join(' | ')
        : `all ${peers.runs.length} runs${peers.skipped.length ? ` (${peers.skipped.length} baseline skipped)` : ''}`,
      met: wrong.length === 0,
    });
    if (peers.memory.length) {
      lines.push('');
      lines.push(
        `peak RSS of a fresh process that bootstraps and runs the layered ${int(peers.memory[0].steps)} ${peers.memory[0].runs} times: the highest of its runs, each from a full collection to its last step (kernel VmHWM, whole process; node without --enable-source-maps)`,
      );
      for (const m of peers.memory)
        lines.push(
          `  ${m.engine.padEnd(22)} ${m.peakRssMiB.toFixed(0)} MiB${m.problems.length ? `  (wrong records: ${m.problems.join('; ')})` : ''}`,
        );
      const theirs = peers.memory.find((m) => m.engine === 'bullmq');
      for (const mine of peers.memory.filter((m) => m.engine !== 'bullmq')) {
        if (theirs)
          checks.push({
            target: `peak RSS, ${mine.engine}, layered ${int(mine.steps)} x ${mine.runs} <= BullMQ's worker process (item 5)`,
            measured: `${mine.peakRssMiB.toFixed(0)} vs ${theirs.peakRssMiB.toFixed(0)} MiB = ${ratio(mine.peakRssMiB / theirs.peakRssMiB)}`,
            met: mine.peakRssMiB <= theirs.peakRssMiB,
          });
      }
      const wrongMemory = peers.memory.filter((m) => m.problems.length);
      if (wrongMemory.length)
        checks.push({
          target: 'memory runs verified',
          measured: wrongMemory.map((m) => `${m.engine}: ${m.problems.join('; ')}`).join(' | '),
          met: false,
        });
    }
  }
  if (cold) {
    lines.push('');
    lines.push(
      `cold start: \`synergy-flow --app dist/bench/cold-start.app.js run\` of the layered ${int(cold.steps)}, process start to exit, SQLite and logs in one directory`,
    );
    lines.push(
      `  each timeperiod: ${cold.coldMs.map(ms).join(', ')} (the first creates the database and ${int(cold.steps)} log files); median of the others ${ms(cold.coldMedianMs)}`,
    );
    lines.push(
      `  warm run() of the same flow in a long-lived process: ${ms(cold.warmMs)}; cold / warm ${ratio(cold.coldMedianMs / cold.warmMs)}`,
    );
    checks.push({
      target: `cold \`synergy-flow run\` of the layered ${int(cold.steps)} <= 2x warm + 150 ms (item 4)`,
      measured: `${ms(cold.coldMedianMs)} vs ${ms(cold.targetMs)} (warm ${ms(cold.warmMs)})${cold.failures.length ? `; FAILED: ${cold.failures.join('; ')}` : ''}`,
      met: cold.coldMedianMs <= cold.targetMs && cold.failures.length === 0,
    });
  }
  return { lines, checks };
}

/** Their hop / ours: above 1, ours is shorter. */
function hopRatio(mine: PeerRunFigures | undefined, theirs: PeerRunFigures | undefined): string {
  return mine?.hopMs && theirs?.hopMs ? ratio(theirs.hopMs.p50 / mine.hopMs.p50) : '-';
}

function rateRatio(mine: PeerRunFigures | undefined, theirs: PeerRunFigures | undefined): string {
  return mine && theirs ? ratio(mine.stepsPerSecond / theirs.stepsPerSecond) : '-';
}
