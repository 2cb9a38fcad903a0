import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import {
  bootstrap,
  DependsOn,
  Flow,
  Main,
  Post,
  SparkAction,
  Step,
  type FlowEvent,
  type StepContext,
  type SynergyFlowApp,
} from '../../../src';
import { databaseText as persistedRows, logFileTexts } from '../../support/persisted-text';
import type { EmrClusterOptions } from '../../../src/clusters/cluster-options';
import { FakeEmrEndpoint } from '../../support/fake-emr-endpoint';

const ACCESS_KEY = 'AKIAE2ETEST0000000001';
const SECRET = 'e2e/Secret+Access+Key/never-in-logs-0001';
const TIMEPERIOD = '2026112600';

@Step({ name: 'extract' })
class Extract {
  @Main() async run(ctx: StepContext) {
    await ctx.cluster.runShellCommand(`aws s3 sync s3://raw/${ctx.timeperiod}/ hdfs:///raw/`);
  }
}

@Step({ name: 'spark_transform' })
@DependsOn(Extract)
@Main(SparkAction, { script: 's3://code/transform.py', args: ['--day', TIMEPERIOD] })
class SparkTransform {}

@Step({ name: 'pig_report' })
@DependsOn(Extract)
class PigReport {
  @Main() async run(ctx: StepContext) {
    await ctx.cluster.runPigStep('s3://code/report.pig', { DAY: ctx.timeperiod });
  }
  @Post() verify(ctx: StepContext) {
    ctx.logger.info(`report of ${ctx.timeperiod} written`);
  }
}

@Flow({ name: 'emr_e2e', steps: [Extract, SparkTransform, PigReport] })
class EmrE2eFlow {}

/** What happens once the first step's EMR step completed (a spec ends its cluster there). */
let afterFirstStep: () => void = () => undefined;

@Step({ name: 'first' })
class First {
  @Main() async run(ctx: StepContext) {
    await ctx.cluster.runShellCommand('echo first');
    afterFirstStep();
  }
}

@Step({ name: 'other', retries: 2, retryDelayMs: 1 })
@DependsOn(First)
class Other {
  @Main() async run(ctx: StepContext) {
    await ctx.cluster.runShellCommand('echo other');
  }
}

@Step({ name: 'retried', retries: 2, retryDelayMs: 1 })
@DependsOn(First)
class Retried {
  @Main() async run(ctx: StepContext) {
    await ctx.cluster.runShellCommand('echo retried');
  }
}

@Flow({ name: 'emr_dying', steps: [First, Other, Retried] })
class EmrDyingFlow {}

describe('an EMR flow through the engine (2 clusters, fake EMR endpoint)', () => {
  let fake: FakeEmrEndpoint;
  let dir: string;
  let app: SynergyFlowApp | undefined;
  let events: FlowEvent[];

  beforeEach(async () => {
    fake = await FakeEmrEndpoint.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-emr-e2e-'));
    events = [];
    afterFirstStep = () => undefined;
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(fake.modelViolations).to.deep.equal([]);
  });

  async function start(extra: Partial<EmrClusterOptions> = {}): Promise<SynergyFlowApp> {
    const cluster: EmrClusterOptions = {
      type: 'emr',
      count: 2,
      name: 'e2e',
      region: 'eu-west-1',
      endpoint: fake.url,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
      pollIntervalMs: 5,
      ...extra,
    };
    app = await bootstrap({
      flows: [EmrE2eFlow, EmrDyingFlow],
      database: { type: 'better-sqlite3', database: path.join(dir, 'state.db') },
      logDirectory: path.join(dir, 'logs'),
      cluster,
    });
    app.events$.subscribe((e) => events.push(e));
    return app;
  }

  function logText(): string {
    const files = logFileTexts(path.join(dir, 'logs'));
    expect(files.length).to.be.greaterThan(0);
    return files.join('\n');
  }

  function databaseText(): string {
    return persistedRows(path.join(dir, 'state.db'));
  }

  function expectNoSecretAnywhere(): void {
    expect(logText()).not.to.include(SECRET);
    expect(JSON.stringify(events)).not.to.include(SECRET);
    const rows = databaseText();
    expect(rows).to.include('emr_e2e');
    expect(rows).not.to.include(SECRET);
    for (const file of fs.readdirSync(dir).filter((f) => f.startsWith('state.db'))) {
      expect(fs.readFileSync(path.join(dir, file)).includes(SECRET), file).to.equal(false);
    }
  }

  it('runs 3 steps on 2 EMR clusters, signs every call, terminates both, and leaks the secret nowhere', async () => {
    const result = await (await start()).run('emr_e2e', { timeperiod: TIMEPERIOD });
    await app!.close();

    expect(result.state).to.equal('processed');
    expect(result.steps).to.deep.equal({ extract: 'processed', spark_transform: 'processed', pig_report: 'processed' });
    const clusters = [...fake.clusters.values()];
    expect(clusters.map((c) => c.name).sort()).to.deep.equal(['e2e-1', 'e2e-2']);
    expect(clusters.map((c) => c.state)).to.deep.equal(['TERMINATED', 'TERMINATED']);
    expect(
      clusters.every((c) =>
        c.request.Tags.some((t: { Key: string; Value: string }) => t.Key === 'synergy-flow:timeperiod' && t.Value === TIMEPERIOD),
      ),
    ).to.equal(true);

    const byArgs = Object.fromEntries(fake.steps().map((s) => [s.args[0], s]));
    expect(byArgs['bash'].args).to.deep.equal(['bash', '-c', `aws s3 sync s3://raw/${TIMEPERIOD}/ hdfs:///raw/`]);
    expect(byArgs['spark-submit'].args).to.deep.equal([
      'spark-submit',
      '--deploy-mode',
      'cluster',
      's3://code/transform.py',
      '--day',
      TIMEPERIOD,
    ]);
    expect(byArgs['pig-script'].args).to.deep.equal([
      'pig-script',
      '--run-pig-script',
      '--args',
      '-f',
      's3://code/report.pig',
      '-p',
      `DAY=${TIMEPERIOD}`,
    ]);
    // The two independent steps ran at the same time, one per cluster.
    expect(new Set([byArgs['spark-submit'].clusterId, byArgs['pig-script'].clusterId]).size).to.equal(2);

    for (const request of fake.requests) {
      expect(request.headers['authorization']).to.match(
        new RegExp(`^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/\\d{8}/eu-west-1/elasticmapreduce/aws4_request, `),
      );
    }
    expect(logText()).to.include('created EMR cluster').and.include('COMPLETED');
    expectNoSecretAnywhere();
  });

  it("lists the account's clusters once per run, not once per cluster slot (3 slots, 120 clusters: 3 ListClusters pages)", async () => {
    for (let i = 0; i < 120; i++) fake.addCluster(`someone-else-${i}`, 'WAITING');
    const mine = fake.addCluster('e2e-2', 'WAITING');

    const result = await (await start({ count: 3 })).run('emr_e2e', { timeperiod: TIMEPERIOD });
    await app!.close();

    expect(result.state).to.equal('processed');
    expect(fake.calls('ListClusters').map((r) => r.body.Marker)).to.deep.equal([undefined, '50', '100']);
    expect(
      fake
        .calls('RunJobFlow')
        .map((r) => r.body.Name)
        .sort(),
    ).to.deep.equal(['e2e-1', 'e2e-3']);
    expect(mine.state).to.equal('TERMINATED');
  });

  it('ends the flow invalid on a FAILED step, with its FailureDetails in the step log (secret redacted), and still terminates both clusters', async () => {
    fake.stepScript = (step) =>
      step.args[0] === 'pig-script'
        ? {
            script: ['RUNNING', 'FAILED'],
            failureDetails: {
              Reason: 'Pig script failed',
              Message: `ERROR 2118: Input path does not exist (aws_secret_access_key=${SECRET})`,
              LogFile: 's3://logs/pig/stderr.gz',
            },
          }
        : { script: ['RUNNING', 'COMPLETED'] };

    const result = await (await start()).run('emr_e2e', { timeperiod: TIMEPERIOD });
    await app!.close();

    expect(result.state).to.equal('invalid');
    expect(result.steps.pig_report).to.equal('invalid');
    expect([...fake.clusters.values()].map((c) => c.state)).to.deep.equal(['TERMINATED', 'TERMINATED']);
    const pigLog = fs.readFileSync(path.join(dir, 'logs', 'emr_e2e', 'pig_report.log'), 'utf8');
    expect(pigLog).to.include('ERROR 2118').and.include('s3://logs/pig/stderr.gz');
    expectNoSecretAnywhere();
  });

  it('keeps the clusters of a failed flow with keepAliveOnFailure and logs their ids', async () => {
    fake.stepScript = (step) =>
      step.args[0] === 'bash' ? { script: ['FAILED'], failureDetails: { Reason: 'exit 1' } } : { script: ['COMPLETED'] };

    const result = await (await start({ keepAliveOnFailure: true })).run('emr_e2e', { timeperiod: TIMEPERIOD });
    await app!.close();

    expect(result.state).to.equal('invalid');
    const clusters = [...fake.clusters.values()];
    expect(clusters.map((c) => c.state)).to.deep.equal(['WAITING', 'WAITING']);
    expect(fake.calls('TerminateJobFlows')).to.have.length(0);
    const flowLog = fs.readFileSync(path.join(dir, 'logs', 'emr_e2e', 'emr_e2e.log'), 'utf8');
    for (const c of clusters) expect(flowLog).to.include(`keeping EMR cluster '${c.name}' (${c.id}) alive`);
  });

  it('cancels the running EMR steps when the flow is cancelled, then terminates the clusters', async () => {
    fake.stepScript = (step) => (step.args[0] === 'bash' ? { script: ['COMPLETED'] } : { script: ['RUNNING'] });
    const running = await start();
    const run = running.run('emr_e2e', { timeperiod: TIMEPERIOD });
    while (fake.steps().filter((s) => s.state === 'RUNNING').length < 2) await new Promise((r) => setTimeout(r, 2));

    expect(running.cancel('emr_e2e', TIMEPERIOD)).to.equal(true);
    const result = await run;
    await app!.close();

    expect(result.state).to.equal('invalid');
    expect(result.steps.spark_transform).to.equal('canceled');
    expect(result.steps.pig_report).to.equal('canceled');
    const cancelled = fake.calls('CancelSteps').flatMap((r) => r.body.StepIds);
    expect(cancelled.sort()).to.deep.equal(
      fake
        .steps()
        .filter((s) => s.args[0] !== 'bash')
        .map((s) => s.id)
        .sort(),
    );
    expect([...fake.clusters.values()].map((c) => c.state)).to.deep.equal(['TERMINATED', 'TERMINATED']);
  });

  it("app.close() during a run (an embedder's shutdown, without handleSignals) cancels the EMR steps and has terminated the clusters when it resolves", async () => {
    fake.stepScript = (step) => (step.args[0] === 'bash' ? { script: ['COMPLETED'] } : { script: ['RUNNING'] });
    const running = await start();
    const run = running.run('emr_e2e', { timeperiod: TIMEPERIOD });
    while (fake.steps().filter((s) => s.state === 'RUNNING').length < 2) await new Promise((r) => setTimeout(r, 2));

    await running.close();
    const clusters = [...fake.clusters.values()];
    expect(clusters.map((c) => c.state)).to.deep.equal(['TERMINATED', 'TERMINATED']);
    expect(fake.calls('CancelSteps').flatMap((r) => r.body.StepIds)).to.have.length(2);
    const result = await run;
    expect(result.steps).to.include({ spark_transform: 'canceled', pig_report: 'canceled' });
    for (const c of clusters) expect(flowLog()).to.include(`cluster ${c.name} terminated`);
  });

  function flowLog(flow = 'emr_e2e'): string {
    return fs.readFileSync(path.join(dir, 'logs', flow, `${flow}.log`), 'utf8');
  }

  it('stops launching when the flow is cancelled while its clusters start, terminates them, and ends the run canceled', async () => {
    fake.clusterScript = Array(10_000).fill('STARTING');
    const running = await start();
    const run = running.run('emr_e2e', { timeperiod: TIMEPERIOD });
    while (fake.calls('DescribeCluster').length < 4) await new Promise((r) => setTimeout(r, 2));

    const cancelledAt = performance.now();
    expect(running.cancel('emr_e2e', TIMEPERIOD)).to.equal(true);
    const result = await run;
    await app!.close();

    // launchTimeoutMs is an hour: the cancel, not the timeout, ended the wait.
    expect(performance.now() - cancelledAt).to.be.below(10_000);
    expect(result.state).to.equal('invalid');
    expect(result.error).to.match(/^FlowCancelledError: flow 'emr_e2e' for timeperiod 2026112600 was cancelled/);
    expect(result.steps).to.deep.equal({ extract: 'embryo', spark_transform: 'embryo', pig_report: 'embryo' });
    expect(fake.calls('AddJobFlowSteps')).to.have.length(0);
    const clusters = [...fake.clusters.values()];
    expect(clusters.map((c) => c.state)).to.deep.equal(['TERMINATED', 'TERMINATED']);
    for (const c of clusters) expect(flowLog()).to.include(`cluster ${c.name} terminated`);
  });

  /** The flow log's lines at a level, without their timestamps. */
  function flowLogLines(level: 'ERROR' | 'WARN' | 'INFO'): string[] {
    return flowLog()
      .split('\n')
      .filter((line) => line.includes(` ${level} `));
  }

  it("logs a launch the user cancelled as a cancellation (INFO), not as a cluster's ERROR; a launch that failed stays an ERROR", async () => {
    fake.clusterScript = Array(10_000).fill('STARTING');
    const running = await start();
    const run = running.run('emr_e2e', { timeperiod: TIMEPERIOD });
    while (fake.calls('DescribeCluster').length < 4) await new Promise((r) => setTimeout(r, 2));
    expect(running.cancel('emr_e2e', TIMEPERIOD)).to.equal(true);
    await run;
    await app!.close();
    app = undefined;

    expect(flowLogLines('ERROR').filter((line) => /launch/.test(line))).to.deep.equal([]);
    const cancelled = flowLogLines('INFO').filter((line) => line.includes('launch cancelled'));
    expect(cancelled).to.have.length(2);
    for (const name of ['e2e-1', 'e2e-2'])
      expect(cancelled.some((line) => line.includes(`cluster ${name} launch cancelled: launch of EMR cluster '${name}'`))).to.equal(true);

    // A launch EMR refused, with nobody cancelling: still an ERROR.
    fs.rmSync(path.join(dir, 'logs'), { recursive: true, force: true });
    fake.clusterScript = ['BOOTSTRAPPING', 'WAITING'];
    fake.failNext('RunJobFlow', { status: 400, type: 'ValidationException', message: 'The instance type is not supported' });
    fake.failNext('RunJobFlow', { status: 400, type: 'ValidationException', message: 'The instance type is not supported' });
    const failed = await (await start()).run('emr_e2e', { timeperiod: '2026112700' });
    await app!.close();
    expect(failed.error).to.match(/^no cluster could be launched/);
    expect(flowLogLines('ERROR').filter((line) => /failed to launch: .*instance type is not supported/.test(line))).to.have.length(2);
    expect(flowLog()).not.to.include('launch cancelled');
  });

  it('logs that a cluster may be left running, with its client token, when neither launch nor terminate could find what a lost RunJobFlow created', async () => {
    fake.failNextAfterSuccess('RunJobFlow', { status: 500, type: 'InternalServerError', message: 'We encountered an internal error' });
    fake.afterOperation = (operation) => {
      // Both look-ups (at launch, then at terminate) fail past their 2 attempts.
      if (operation === 'RunJobFlow')
        for (let i = 0; i < 4; i++) fake.failNext('ListClusters', { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' });
    };

    const result = await (await start({ count: 1, maxAttempts: 2, retryMode: 'standard' })).run('emr_e2e', { timeperiod: TIMEPERIOD });
    await app!.close();

    expect(result.state).to.equal('invalid');
    const [created] = fake.clusters.values();
    const token = created.request.Tags.find((t: { Key: string }) => t.Key === 'synergy-flow:client-token').Value;
    const log = flowLog();
    expect(log).to.include("EMR cluster 'e2e' may have been created and left running").and.include(`synergy-flow:client-token=${token}`);
    expect(log).not.to.match(/cluster e2e terminated/);
  });

  it('retires a cluster that EMR ended mid-run: a step that failed on it is retried on the other cluster', async () => {
    afterFirstStep = () => {
      const clusterId = fake.steps().find((s) => s.args.includes('echo first'))!.clusterId;
      fake.endCluster(clusterId, 'TERMINATED_WITH_ERRORS', { Code: 'INSTANCE_FAILURE', Message: 'primary node lost' });
    };

    const result = await (await start()).run('emr_dying', { timeperiod: TIMEPERIOD });
    await app!.close();

    expect(result.state).to.equal('processed');
    const clusters = [...fake.clusters.values()];
    const dead = clusters.find((c) => c.state === 'TERMINATED_WITH_ERRORS')!;
    const alive = clusters.find((c) => c !== dead)!;
    // Only the first step ever ran there; the attempt refused on it was retried on the live cluster.
    expect(
      fake
        .steps()
        .filter((s) => s.clusterId === dead.id)
        .map((s) => s.args[2]),
    ).to.deep.equal(['echo first']);
    expect(
      fake
        .steps()
        .filter((s) => s.clusterId === alive.id)
        .map((s) => s.args[2]),
    ).to.have.members(['echo other', 'echo retried']);
    expect(flowLog('emr_dying'))
      .to.include(`cluster ${dead.name} is no longer used by this run`)
      .and.include(`cluster ${dead.name} had already ended`);
    expect(alive.state).to.equal('TERMINATED');
  });

  it('fails the steps with why their cluster ended once no cluster is left', async () => {
    afterFirstStep = () => {
      const [only] = fake.clusters.values();
      fake.endCluster(only.id, 'TERMINATED_WITH_ERRORS', { Code: 'INSTANCE_FAILURE', Message: 'primary node lost' });
    };

    const result = await (await start({ count: 1 })).run('emr_dying', { timeperiod: TIMEPERIOD, failFast: false });
    const { steps } = await app!.status('emr_dying', TIMEPERIOD);
    await app!.close();

    expect(result.steps).to.deep.equal({ first: 'processed', other: 'invalid', retried: 'invalid' });
    for (const name of ['other', 'retried']) {
      const error = steps.find((s) => s.stepName === name)!.error!;
      expect(error, name).to.include("EMR cluster 'e2e'").and.include('TERMINATED_WITH_ERRORS (INSTANCE_FAILURE - primary node lost)');
      expect(error, name).not.to.include('endpoint');
    }
    expect(fake.steps().map((s) => s.args[2])).to.deep.equal(['echo first']);
  });
});
