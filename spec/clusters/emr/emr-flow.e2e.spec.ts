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

describe('an EMR flow through the engine (2 clusters, fake EMR endpoint)', () => {
  let fake: FakeEmrEndpoint;
  let dir: string;
  let app: SynergyFlowApp | undefined;
  let events: FlowEvent[];

  beforeEach(async () => {
    fake = await FakeEmrEndpoint.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-emr-e2e-'));
    events = [];
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
      flows: [EmrE2eFlow],
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
});
