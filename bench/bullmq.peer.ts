import { FlowProducer, Queue, Worker, type FlowJob } from 'bullmq';
import IORedis from 'ioredis';
import * as crypto from 'node:crypto';
import type { NoOpGraph } from './no-op-graph';
import { nowMs, type PeerRunFigures } from './peer-run';
import { distribution, perSecond } from './stats';
import { dependentsOf, hopsFromRecords, verifyStepRecords, type StepRecord } from './step-record.verifier';

/**
 * BullMQ's FlowProducer on Redis, the way its users would lay out each shape. A flow is a tree:
 * a parent job runs once all its children completed, so a chain is one tree (each step the child
 * of the step after it) and independent steps are a bulk of one-job flows. A layered DAG is not a
 * tree (each step has two parents), so, as with graphile-worker, its first layer is added as
 * one-job flows and the worker adds each dependent once its last dependency is done, counting down
 * in a Redis hash. One worker, `concurrency` jobs at once. Runs the flow `runs` times in this
 * process, each on a fresh queue; the first is the warm-up, the figures are the last run's.
 * `workDone` is called when a run's last job is done, before the benchmark reads the jobs back.
 */
export async function runBullmqPeer(
  flow: NoOpGraph,
  redisPort: number,
  concurrency: number,
  runs = 2,
  workDone: () => void = () => undefined,
): Promise<PeerRunFigures> {
  const connection = { host: '127.0.0.1', port: redisPort, maxRetriesPerRequest: null };
  let figures: PeerRunFigures | undefined;
  for (let i = 0; i < runs; i++) figures = await runOnce(flow, connection, concurrency, workDone);
  return figures!;
}

type Connection = { host: string; port: number; maxRetriesPerRequest: null };

async function runOnce(flow: NoOpGraph, connection: Connection, concurrency: number, workDone: () => void): Promise<PeerRunFigures> {
  const queueName = `bench-${crypto.randomBytes(4).toString('hex')}`;
  const { dependents, dependencyCount } = dependentsOf(flow);
  const isTree =
    flow.edges.every(([, dependent]) => dependencyCount.get(dependent) === 1) && [...dependents.values()].every((d) => d.length <= 1);
  const remainingKey = `${queueName}:remaining`;
  const redis = new IORedis(connection);
  const queue = new Queue(queueName, { connection });
  const producer = new FlowProducer({ connection });
  const invocations = new Map<string, number>();
  let completed = 0;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const worker = new Worker(
    queueName,
    async (job) => {
      const { step } = job.data as { step: string };
      const startedAt = nowMs();
      invocations.set(step, (invocations.get(step) ?? 0) + 1);
      const finishedAt = nowMs();
      if (!isTree) {
        for (const dependent of dependents.get(step) ?? []) {
          if ((await redis.hincrby(remainingKey, dependent, -1)) === 0) await queue.add(dependent, { step: dependent });
        }
      }
      return { step, startedAt, finishedAt };
    },
    { connection, concurrency, autorun: false },
  );
  worker.on('completed', () => {
    if (++completed === flow.steps) allDone();
  });
  try {
    await worker.waitUntilReady();
    if (!isTree && dependencyCount.size) await redis.hset(remainingKey, Object.fromEntries(dependencyCount));
    const roots = flow.stepNames.filter((step) => !dependencyCount.has(step));
    void worker.run();
    const started = performance.now();
    if (isTree) await producer.addBulk(roots.map((root) => tree(root, flow, queueName)));
    // Not a tree: only the roots go in now, the worker adds the rest.
    else await producer.addBulk(roots.map((step) => ({ name: step, queueName, data: { step } })));
    await done;
    const runMs = performance.now() - started;
    // The run's work ends here; reading its jobs back to verify them is the benchmark's.
    workDone();
    return {
      engine: 'bullmq',
      shape: flow.shape,
      steps: flow.steps,
      concurrency,
      runMs,
      stepsPerSecond: perSecond(flow.steps, runMs),
      ...(await readBack(queue, flow, invocations)),
    };
  } finally {
    await worker.close();
    await producer.close();
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  }
}

/**
 * The flow tree that starts at `first`, in a graph whose every step has at most one dependency and
 * one dependent: each step is the child of the step that depends on it, so BullMQ runs it first.
 */
function tree(first: string, flow: NoOpGraph, queueName: string): FlowJob {
  const dependentOf = new Map(flow.edges.map(([dependency, dependent]) => [dependency, dependent]));
  let node: FlowJob = { name: first, queueName, data: { step: first } };
  for (let step = dependentOf.get(first); step !== undefined; step = dependentOf.get(step))
    node = { name: step, queueName, data: { step }, children: [node] };
  return node;
}

/** The completed set and the return values: one completed job per step, none failed. */
async function readBack(
  queue: Queue,
  flow: NoOpGraph,
  invocations: Map<string, number>,
): Promise<Pick<PeerRunFigures, 'hopMs' | 'problems'>> {
  const jobs = await queue.getJobs(['completed'], 0, -1);
  const records: StepRecord[] = jobs.map((job) => {
    const value = job.returnvalue as { step: string; startedAt: number; finishedAt: number };
    return { step: value.step, startedAt: value.startedAt, finishedAt: value.finishedAt, runs: invocations.get(value.step) ?? 0 };
  });
  const problems = verifyStepRecords(flow, records);
  const failed = await queue.getJobCountByTypes('failed', 'wait', 'active', 'delayed', 'waiting-children');
  if (failed) problems.push(`${failed} jobs are failed or not finished`);
  return { hopMs: distribution(hopsFromRecords(flow, records)), problems };
}
