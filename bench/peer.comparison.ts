import { startPostgres, type PostgresServer } from '../spec/support/postgres-server';
import type { FlowShape } from './no-op-flows';
import type { MemoryEngine, MemoryFigures } from './peer.job';
import { type PeerEngine, type PeerRunFigures } from './peer-run';
import { REDIS_MISSING, startRedis, type RedisServer } from './redis-server';
import type { BenchJob, JobFigures } from './scenario.job';
import { medianBy } from './stats';

export interface PeerComparisonOptions {
  /** Steps of each shape (issue 22: 1,000 each). */
  sizes: Record<FlowShape, number>;
  /** Each engine runs each shape this many times, each time in a fresh process; the report takes the medians. */
  repetitions: number;
  /** Local clusters for synergy-flow, worker concurrency for the peers (issue 22: 4). */
  concurrency: number;
  /** Steps of the layered DAG and runs of the memory processes; 0 runs: no memory jobs. */
  memory: { steps: number; runs: number };
  /** Runs a job in a fresh process. */
  runJob: (job: BenchJob) => Promise<JobFigures>;
  /** Where progress and skipped baselines are told. */
  log: (line: string) => void;
}

export interface PeerComparison {
  /** Every run, in the order they ran. */
  runs: PeerRunFigures[];
  /** Per engine and shape, the run with the median steps/s (chain: the median hop p50). */
  medians: PeerRunFigures[];
  memory: MemoryFigures[];
  /** Baselines that did not run, and how to make them run. */
  skipped: string[];
  postgres: string;
  redis: string | null;
}

/** The orders the engines run in, one per repetition, so that none always runs first or last. */
const ENGINE_ORDERS: PeerEngine[][] = [
  ['synergy-flow-postgres', 'graphile-worker', 'bullmq'],
  ['bullmq', 'synergy-flow-postgres', 'graphile-worker'],
  ['graphile-worker', 'bullmq', 'synergy-flow-postgres'],
];

/**
 * Issue 22: synergy-flow on PostgreSQL beside graphile-worker on the same server and BullMQ on
 * Redis, on the same no-op DAGs at the same concurrency, every run in a fresh process,
 * interleaved (repetition by repetition, shape by shape, engine by engine), every run's records
 * verified. One PostgreSQL with its durable defaults (fsync, synchronous_commit on) and one
 * redis-server (AOF, fsync every second) serve the whole comparison; each run gets a fresh
 * database or queue.
 */
export async function runPeerComparison(options: PeerComparisonOptions): Promise<PeerComparison> {
  const { log } = options;
  const skipped: string[] = [];
  const postgres = await startPostgres({ durable: true });
  let redis: RedisServer | undefined;
  try {
    redis = await startRedis();
    if (!redis) {
      skipped.push(REDIS_MISSING);
      log(REDIS_MISSING);
    }
    const settings = await postgres.query<{ name: string; setting: string }>(
      'postgres',
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'server_version') ORDER BY name",
    );
    const postgresNote = `PostgreSQL ${settings.map((s) => `${s.name} ${s.setting}`).join(', ')}`;
    const runs: PeerRunFigures[] = [];
    for (let rep = 0; rep < options.repetitions; rep++) {
      for (const shape of Object.keys(options.sizes) as FlowShape[]) {
        for (const engine of ENGINE_ORDERS[rep % ENGINE_ORDERS.length]) {
          if (engine === 'bullmq' && !redis) continue;
          const steps = options.sizes[shape];
          log(`peers ${rep + 1}/${options.repetitions}: ${engine}, ${shape} ${steps.toLocaleString('en-US')} steps ...`);
          const result = await options.runJob({
            kind: 'peer',
            engine,
            shape,
            steps,
            concurrency: options.concurrency,
            ...(await stores(engine, postgres, redis)),
          });
          if (result.kind === 'peer') runs.push(result.figures);
        }
      }
    }
    const memory: MemoryFigures[] = [];
    if (options.memory.runs > 0) {
      for (const engine of ['synergy-flow-sqlite', 'synergy-flow-postgres', 'bullmq'] as MemoryEngine[]) {
        if (engine === 'bullmq' && !redis) continue;
        log(`memory: ${engine}, layered ${options.memory.steps.toLocaleString('en-US')} steps x ${options.memory.runs} ...`);
        const result = await options.runJob({
          kind: 'memory',
          engine,
          ...options.memory,
          concurrency: options.concurrency,
          ...(await stores(engine, postgres, redis)),
        });
        if (result.kind === 'memory') memory.push(result.figures);
      }
    }
    return {
      runs,
      medians: medians(runs),
      memory,
      skipped,
      postgres: postgresNote,
      redis: redis ? 'redis-server, appendonly yes, appendfsync everysec' : null,
    };
  } finally {
    await redis?.stop();
    await postgres.stop();
  }
}

/** A fresh database for an engine on PostgreSQL, the Redis port for BullMQ. */
async function stores(
  engine: PeerEngine | MemoryEngine,
  postgres: PostgresServer,
  redis: RedisServer | undefined,
): Promise<{ postgres?: Awaited<ReturnType<PostgresServer['createDatabase']>>; redisPort?: number }> {
  if (engine === 'bullmq') return { redisPort: redis!.port };
  if (engine === 'synergy-flow-sqlite') return {};
  return { postgres: await postgres.createDatabase() };
}

function medians(runs: PeerRunFigures[]): PeerRunFigures[] {
  const groups = new Map<string, PeerRunFigures[]>();
  for (const run of runs) {
    const key = `${run.engine} ${run.shape} ${run.steps}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) =>
    group[0].shape === 'chain' ? medianBy(group, (r) => -(r.hopMs?.p50 ?? Infinity)) : medianBy(group, (r) => r.stepsPerSecond),
  );
}
