import { expect } from 'chai';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { EmrCluster, type EmrClusterOverrides } from '../../../src/clusters/emr';
import type { EmrClusterOptions } from '../../../src/clusters/cluster-options';
import { ClusterError } from '../../../src/errors';
import { FakeEmrEndpoint } from '../../support/fake-emr-endpoint';
import { recordingLogger } from '../../support/recording-logger';

const ACCESS_KEY = 'AKIAWIRETEST000000001';
const SECRET = 'wire/Secret+Access+Key/do-not-leak-0001';

/** The SDK's own retry strategy, with a 1 ms backoff instead of up to a second, so retries are quick to test. */
const quickRetries = (maxAttempts: number): EmrClusterOverrides => ({
  emrClientConfig: {
    maxAttempts,
    retryStrategy: new StandardRetryStrategy({ maxAttempts, backoff: { computeNextBackoffDelay: () => 1, setDelayBase: () => undefined } }),
  },
});

describe('EmrCluster (real SDK client, fake EMR endpoint on 127.0.0.1)', () => {
  let fake: FakeEmrEndpoint;

  beforeEach(async () => {
    fake = await FakeEmrEndpoint.start();
  });
  afterEach(async () => {
    await fake.close();
    // Every request the engine sent had the form the EMR service model allows.
    expect(fake.modelViolations).to.deep.equal([]);
  });

  function cluster(
    index = 0,
    extra: Partial<EmrClusterOptions> = {},
    overrides?: EmrClusterOverrides,
    logger = recordingLogger(),
  ): EmrCluster {
    return new EmrCluster(
      {
        type: 'emr',
        count: 2,
        name: 'wire',
        region: 'us-east-1',
        endpoint: fake.url,
        credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
        pollIntervalMs: 2,
        ...extra,
      },
      { index, flowName: 'daily_etl', timeperiod: '2026112600', logger },
      overrides,
    );
  }

  it('signs every request with SigV4 and sends the step arguments EMR expects', async () => {
    const c = cluster();
    await c.launch();
    await c.runSparkStep('s3://code/job.py', { args: ['2026112600'], submitArgs: ['--class', 'com.example.Main'] });
    await c.runPigStep('s3://code/report.pig', { DAY: '2026-11-26' });
    await c.runShellCommand('echo "$HOME" && ls');
    await c.runHadoopStep('s3://code/tool.jar', ['-x']);
    await c.terminate();

    expect(fake.operations()).to.include.members([
      'ListClusters',
      'RunJobFlow',
      'DescribeCluster',
      'AddJobFlowSteps',
      'DescribeStep',
      'SetTerminationProtection',
      'TerminateJobFlows',
    ]);
    for (const request of fake.requests) {
      expect(request.headers['authorization']).to.match(
        new RegExp(
          `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/\\d{8}/us-east-1/elasticmapreduce/aws4_request, SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}$`,
        ),
      );
      expect(request.headers['content-type']).to.equal('application/x-amz-json-1.1');
      expect(JSON.stringify(request)).not.to.include(SECRET);
    }
    expect(fake.steps().map((s) => [s.jar, s.args])).to.deep.equal([
      ['command-runner.jar', ['spark-submit', '--deploy-mode', 'cluster', '--class', 'com.example.Main', 's3://code/job.py', '2026112600']],
      ['command-runner.jar', ['pig-script', '--run-pig-script', '--args', '-f', 's3://code/report.pig', '-p', 'DAY=2026-11-26']],
      ['command-runner.jar', ['bash', '-c', 'echo "$HOME" && ls']],
      ['s3://code/tool.jar', ['-x']],
    ]);
    const [created] = fake.clusters.values();
    expect(created.request.Instances).to.include({ KeepJobFlowAliveWhenNoSteps: true, TerminationProtected: false });
    expect(created.request.AutoTerminationPolicy).to.deep.equal({ IdleTimeout: 3600 });
    expect(created.state).to.equal('TERMINATED');
    expect(created.terminationProtected).to.equal(false);
  });

  it('launches two pool slots concurrently onto two distinct clusters, which the next run reuses by name', async () => {
    const first = [cluster(0), cluster(1)];
    await Promise.all(first.map((c) => c.launch()));

    const ids = first.map((c) => c.clusterId);
    expect(ids[0]).to.be.a('string').and.not.equal(ids[1]);
    expect(first.map((c) => c.name)).to.deep.equal(['wire-1', 'wire-2']);
    expect(fake.calls('RunJobFlow')).to.have.length(2);

    // Steps on both at once land on their own clusters.
    await Promise.all(first.map((c, i) => c.runShellCommand(`echo ${i}`)));
    expect(fake.clusters.get(ids[0]!)!.steps.map((s) => s.args)).to.deep.equal([['bash', '-c', 'echo 0']]);
    expect(fake.clusters.get(ids[1]!)!.steps.map((s) => s.args)).to.deep.equal([['bash', '-c', 'echo 1']]);

    const next = [cluster(1), cluster(0)];
    await Promise.all(next.map((c) => c.launch()));
    expect(next.map((c) => c.clusterId)).to.deep.equal([ids[1], ids[0]]);
    expect(fake.calls('RunJobFlow')).to.have.length(2);
    await Promise.all([...first, ...next].map((c) => c.terminate()));
  });

  it('finds its cluster on a later ListClusters page', async () => {
    fake.pageSize = 2;
    for (let i = 0; i < 5; i++) fake.addCluster(`someone-else-${i}`, 'WAITING');
    const mine = fake.addCluster('wire-1', 'WAITING');
    const c = cluster(0);
    await c.launch();
    expect(c.clusterId).to.equal(mine.id);
    expect(fake.calls('ListClusters').map((r) => r.body.Marker)).to.deep.equal([undefined, '2', '4']);
    await c.terminate();
  });

  it('retries throttling and transient errors through the SDK retry strategy', async () => {
    fake.failNext('ListClusters', { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' });
    fake.failNext('DescribeCluster', { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' });
    fake.failNext('AddJobFlowSteps', { status: 500, type: 'InternalServerError', message: 'We encountered an internal error' });
    fake.failNext('DescribeStep', { status: 503, type: 'ServiceUnavailable', message: 'Service unavailable' });
    const c = cluster(0, {}, quickRetries(3));

    await c.launch();
    await c.runShellCommand('true');
    await c.terminate();

    expect(fake.calls('ListClusters')).to.have.length(2);
    expect(fake.calls('AddJobFlowSteps')).to.have.length(2);
    expect(fake.steps()).to.have.length(1);
    const attempts = fake.calls('ListClusters').map((r) => r.headers['amz-sdk-request']);
    expect(attempts).to.deep.equal(['attempt=1; max=3', 'attempt=2; max=3']);
  });

  it('retries with the configuration it ships with (maxAttempts and retryMode from the options)', async () => {
    fake.failNext('DescribeCluster', { status: 500, type: 'InternalServerError', message: 'oops' });
    const c = cluster(0, { maxAttempts: 4, retryMode: 'standard' });
    await c.launch();
    const describes = fake.calls('DescribeCluster');
    expect(describes[0].headers['amz-sdk-request']).to.equal('attempt=1; max=4');
    expect(describes[1].headers['amz-sdk-request']).to.equal('attempt=2; max=4');
    await c.terminate();
  });

  it('gives up after maxAttempts with a ClusterError naming the API error', async () => {
    for (let i = 0; i < 2; i++) fake.failNext('ListClusters', { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' });
    const c = cluster(0, {}, quickRetries(2));
    const err = await c.launch().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ClusterError);
    expect((err as Error).message)
      .to.include('ThrottlingException')
      .and.include('wire-1')
      .and.include('after 2 attempts');
    expect(fake.calls('ListClusters')).to.have.length(2);
    expect(fake.calls('RunJobFlow')).to.have.length(0);
  });

  it('cancels a step it lost track of because DescribeStep was throttled past the retry limit, and says throttling was the cause', async () => {
    fake.stepScript = () => ({ script: ['RUNNING'] });
    const c = cluster(0, {}, quickRetries(2));
    await c.launch();
    fake.failNext('DescribeStep', { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' });
    fake.failNext('DescribeStep', { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' });

    const err = await c.runSparkStep('s3://code/job.py').catch((e: unknown) => e);

    expect(err).to.be.instanceOf(ClusterError);
    const [step] = fake.steps();
    expect(fake.calls('CancelSteps').map((r) => r.body)).to.deep.equal([
      { ClusterId: step.clusterId, StepIds: [step.id], StepCancellationOption: 'SEND_INTERRUPT' },
    ]);
    expect(step.state).to.equal('CANCELLED');
    const message = (err as Error).message;
    expect(message).to.include('throttled').and.include('ThrottlingException').and.include(step.id).and.include('was cancelled');
    expect(message).not.to.include('credentials');
    expect((err as ClusterError).details).to.deep.include({ stepId: step.id, throttled: true, cancelled: true });
    await c.terminate();
  });

  it('does not create a second cluster when RunJobFlow answers a 5xx after creating one: it finds it by its client-token tag', async () => {
    fake.failNextAfterSuccess('RunJobFlow', { status: 500, type: 'InternalServerError', message: 'We encountered an internal error' });
    const c = cluster(0, {}, quickRetries(3));

    await c.launch();

    expect(fake.clusters.size).to.equal(1);
    const [created] = fake.clusters.values();
    expect(c.clusterId).to.equal(created.id);
    expect(fake.calls('RunJobFlow')).to.have.length(1);
    // One attempt per RunJobFlow call: the SDK must not retry it blindly.
    expect(fake.calls('RunJobFlow')[0].headers['amz-sdk-request']).to.equal('attempt=1; max=1');
    const token = created.request.Tags.find((t: { Key: string }) => t.Key === 'synergy-flow:client-token').Value;
    expect(token).to.match(/^[0-9a-f-]{36}$/);
    await c.terminate();
    expect(created.state).to.equal('TERMINATED');
  });

  it('still finds the cluster a last RunJobFlow attempt created before its 5xx (maxAttempts: 1), rather than leave it unknown', async () => {
    fake.failNextAfterSuccess('RunJobFlow', { status: 502, type: 'BadGateway', message: 'Bad gateway' });
    const c = cluster(0, { maxAttempts: 1 });

    await c.launch();

    const [created] = fake.clusters.values();
    expect(c.clusterId).to.equal(created.id);
    expect(fake.calls('RunJobFlow')).to.have.length(1);
    await c.terminate();
  });

  it('tries RunJobFlow again, with the same client token, when the 5xx came before any cluster was created', async () => {
    fake.failNext('RunJobFlow', { status: 503, type: 'ServiceUnavailable', message: 'Service unavailable' });
    fake.failNext('RunJobFlow', { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' });
    // standard: adaptive mode would also rate-limit the client for a second or two after the throttling.
    const c = cluster(0, { retryMode: 'standard' }, quickRetries(3));

    await c.launch();

    expect(fake.clusters.size).to.equal(1);
    const runs = fake.calls('RunJobFlow');
    expect(runs).to.have.length(3);
    const tokens = runs.map((r) => r.body.Tags.find((t: { Key: string }) => t.Key === 'synergy-flow:client-token').Value);
    expect(new Set(tokens).size).to.equal(1);
    await c.terminate();
  });

  it('does not retry a RunJobFlow that EMR refused (a 4xx other than throttling)', async () => {
    fake.failNext('RunJobFlow', { status: 400, type: 'ValidationException', message: 'Invalid InstanceCount' });
    const c = cluster(0, {}, quickRetries(3));
    const err = await c.launch().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ClusterError);
    expect((err as Error).message).to.include('ValidationException');
    expect(fake.calls('RunJobFlow')).to.have.length(1);
    expect(fake.clusters.size).to.equal(0);
  });

  it('names a step after a long command with emojis in a form EMR accepts (never half an emoji)', async () => {
    const c = cluster(0);
    await c.launch();
    // 'daily_etl 2026112600: bash -c echo ' is 35 characters: the first emoji straddles the 253rd.
    const command = `echo ${'x'.repeat(217)}${'🚀'.repeat(20)}`;

    await c.runShellCommand(command);

    const [step] = fake.steps();
    expect(step.name.length).to.be.at.most(256);
    expect(step.name).not.to.match(/\p{Surrogate}/u);
    expect(step.args).to.deep.equal(['bash', '-c', command]);
    await c.terminate();
  });

  it('reports a cluster that terminates while bootstrapping', async () => {
    fake.clusterScript = ['BOOTSTRAPPING', 'TERMINATED_WITH_ERRORS'];
    fake.clusterReason = {
      Code: 'VALIDATION_ERROR',
      Message: 'The requested instance type m5.xlarge is not supported in the requested availability zone.',
    };
    const c = cluster(0);
    const err = await c.launch().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ClusterError);
    expect((err as Error).message)
      .to.include('TERMINATED_WITH_ERRORS')
      .and.include('VALIDATION_ERROR')
      .and.include('not supported');
    expect(fake.calls('TerminateJobFlows')).to.have.length(0);
  });

  it('fails a step with its FailureDetails, and leaves the cluster up for the next one', async () => {
    fake.stepScript = (step) =>
      step.args.includes('exit 3')
        ? {
            script: ['RUNNING', 'FAILED'],
            failureDetails: { Reason: 'Step failed', Message: 'exit code 3', LogFile: 's3://logs/steps/stderr.gz' },
          }
        : { script: ['COMPLETED'] };
    const c = cluster(0);
    await c.launch();
    const err = await c.runShellCommand('exit 3').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ClusterError);
    expect((err as ClusterError).details.failureDetails).to.deep.equal({
      reason: 'Step failed',
      message: 'exit code 3',
      logFile: 's3://logs/steps/stderr.gz',
    });
    await c.runShellCommand('true');
    await c.terminate({ flowFailed: true });
    expect(fake.calls('AddJobFlowSteps')[0].body.Steps[0].ActionOnFailure).to.equal('CONTINUE');
  });

  it('stops waiting for a starting cluster when the launch signal aborts, and terminate() then ends that cluster', async () => {
    fake.clusterScript = Array(10_000).fill('STARTING');
    const c = cluster();
    const controller = new AbortController();
    const launch = c.launch(controller.signal).catch((e: unknown) => e);
    while (fake.calls('DescribeCluster').length < 2) await new Promise((r) => setTimeout(r, 1));

    controller.abort(new Error('the run was cancelled'));
    const err = await launch;

    expect(err).to.be.instanceOf(ClusterError);
    expect((err as Error).message).to.include('was interrupted: the run was cancelled');
    expect(await c.terminate()).to.equal('terminated');
    const [created] = fake.clusters.values();
    expect(created.state).to.equal('TERMINATED');
  });

  describe('a RunJobFlow whose answer was lost, when looking for its cluster fails too', () => {
    const throttled = { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' };
    /** After the create, the next `count` ListClusters calls are throttled (quickRetries(2): two per look-up). */
    const listFailsAfterCreate = (count: number) => {
      fake.failNextAfterSuccess('RunJobFlow', { status: 500, type: 'InternalServerError', message: 'We encountered an internal error' });
      fake.afterOperation = (operation) => {
        if (operation === 'RunJobFlow') for (let i = 0; i < count; i++) fake.failNext('ListClusters', throttled);
      };
    };

    it('fails the launch, and terminate() looks again and ends the cluster EMR did create', async () => {
      listFailsAfterCreate(2);
      const logger = recordingLogger();
      const c = cluster(0, { retryMode: 'standard' }, quickRetries(2), logger);

      const err = await c.launch().catch((e: unknown) => e);
      const [created] = fake.clusters.values();
      expect(err).to.be.instanceOf(ClusterError);
      expect((err as Error).message)
        .to.include('may have created it')
        .and.include('ThrottlingException');
      expect(created.state).to.equal('STARTING');

      expect(await c.terminate({ flowFailed: true })).to.equal('terminated');
      expect(created.state).to.equal('TERMINATED');
      expect(fake.calls('RunJobFlow')).to.have.length(1);
      expect(logger.text()).to.include(`found EMR cluster 'wire-1' (${created.id})`);
    });

    it('says the cluster may be left running, with its name and client token, when the second look-up fails too', async () => {
      listFailsAfterCreate(4);
      const c = cluster(0, { retryMode: 'standard' }, quickRetries(2));

      await c.launch().catch(() => undefined);
      const err = await c.terminate({ flowFailed: true }).catch((e: unknown) => e);

      const [created] = fake.clusters.values();
      const token = created.request.Tags.find((t: { Key: string }) => t.Key === 'synergy-flow:client-token').Value;
      expect(err).to.be.instanceOf(ClusterError);
      expect((err as Error).message)
        .to.include("EMR cluster 'wire-1' may have been created and left running")
        .and.include(`synergy-flow:client-token=${token}`)
        .and.include('aws emr terminate-clusters');
      expect(created.state).to.equal('STARTING');
    });
  });

  it('still sends TerminateJobFlows when lifting termination protection fails past the retries', async () => {
    const c = cluster(0, { retryMode: 'standard' }, quickRetries(2));
    await c.launch();
    for (let i = 0; i < 2; i++)
      fake.failNext('SetTerminationProtection', { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' });

    expect(await c.terminate()).to.equal('terminated');

    expect(fake.calls('TerminateJobFlows')).to.have.length(1);
    const [created] = fake.clusters.values();
    expect(created.state).to.equal('TERMINATED');
  });

  it('fails a step whose cluster ended under it with EMR\'s reason, and raises no "may still be running" alarm at terminate', async () => {
    fake.stepScript = () => ({ script: ['RUNNING'] });
    const logger = recordingLogger();
    const c = cluster(0, {}, undefined, logger);
    await c.launch();
    const run = c.runShellCommand('sleep 600').catch((e: unknown) => e);
    while (fake.steps()[0]?.state !== 'RUNNING') await new Promise((r) => setTimeout(r, 1));
    fake.endCluster(c.clusterId!, 'TERMINATED_WITH_ERRORS', { Code: 'INSTANCE_FAILURE', Message: 'primary node lost' });

    const err = await run;

    expect(err).to.be.instanceOf(ClusterError);
    expect((err as Error).message)
      .to.include('ended INTERRUPTED')
      .and.include('TERMINATED_WITH_ERRORS')
      .and.include('INSTANCE_FAILURE - primary node lost');
    expect(c.endedBecause).to.include('TERMINATED_WITH_ERRORS');
    expect(await c.terminate({ flowFailed: true })).to.equal('already-ended');
    expect(logger.text()).not.to.include('costing money');
  });

  it('says a cluster found ended at terminate had ended, rather than that it may still be running', async () => {
    const logger = recordingLogger();
    const c = cluster(0, {}, undefined, logger);
    await c.launch();
    fake.endCluster(c.clusterId!, 'TERMINATED_WITH_ERRORS', { Code: 'INSTANCE_FAILURE', Message: 'primary node lost' });

    expect(await c.terminate()).to.equal('already-ended');
    expect(logger.text()).to.include('had already ended TERMINATED_WITH_ERRORS (INSTANCE_FAILURE - primary node lost)');
  });

  it("refuses a step on a cluster that ended while idle with EMR's reason, not an endpoint hint", async () => {
    const c = cluster();
    await c.launch();
    fake.endCluster(c.clusterId!, 'TERMINATED_WITH_ERRORS', { Code: 'INSTANCE_FAILURE', Message: 'primary node lost' });

    const err = await c.runShellCommand('true').catch((e: unknown) => e);

    expect(err).to.be.instanceOf(ClusterError);
    expect((err as Error).message)
      .to.include('TERMINATED_WITH_ERRORS (INSTANCE_FAILURE - primary node lost)')
      .and.not.include('endpoint');
    expect(c.endedBecause).to.include('INSTANCE_FAILURE');
  });

  it('cancels the EMR step when the step is aborted', async () => {
    fake.stepScript = () => ({ script: ['RUNNING'] });
    const c = cluster(0);
    await c.launch();
    const controller = new AbortController();
    const run = c.runSparkStep('s3://code/forever.py', {}, { signal: controller.signal }).catch((e: unknown) => e);
    while (fake.calls('DescribeStep').length < 3) await new Promise((r) => setTimeout(r, 1));
    controller.abort(new Error('cancelled by the user'));

    expect(await run).to.be.instanceOf(ClusterError);
    const [cancel] = fake.calls('CancelSteps');
    const [step] = fake.steps();
    expect(cancel.body).to.deep.equal({ ClusterId: step.clusterId, StepIds: [step.id], StepCancellationOption: 'SEND_INTERRUPT' });
    expect(step.state).to.equal('CANCELLED');
    expect(((await run) as Error).message).to.include('was cancelled');
    await c.terminate();
  });
});
