import { inspect } from 'node:util';
import { expect } from 'chai';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AddJobFlowStepsCommand,
  CancelStepsCommand,
  DescribeClusterCommand,
  DescribeStepCommand,
  EMRClient,
  ListClustersCommand,
  RunJobFlowCommand,
  SetTerminationProtectionCommand,
  TerminateJobFlowsCommand,
} from '@aws-sdk/client-emr';
import { S3Client } from '@aws-sdk/client-s3';
import { EmrCluster } from '../../../src/clusters/emr';
import type { EmrClusterOptions } from '../../../src/clusters/cluster-options';
import { ClusterError, EmrStepTextError, EmrStepTooLongError } from '../../../src/errors';
import { recordingLogger, type RecordingLogger } from '../../support/recording-logger';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';
const mockEmr = () => mockClient(EMRClient);
const mockS3 = () => mockClient(S3Client);
const scope = { index: 0, flowName: 'daily_etl', timeperiod: '2026112600' };

describe('EmrCluster (aws-sdk-client-mock)', () => {
  // Stubbed in before(), not at load time: mocha loads every spec file first, and the stubs must
  // not reach the specs that use the real clients.
  let emr: ReturnType<typeof mockEmr>;
  let s3: ReturnType<typeof mockS3>;
  let logger: RecordingLogger;

  before(() => {
    emr = mockEmr();
    s3 = mockS3();
  });
  beforeEach(() => {
    emr.reset();
    s3.reset();
    logger = recordingLogger();
  });
  after(() => {
    emr.restore();
    s3.restore();
  });

  function cluster(extra: Partial<EmrClusterOptions> = {}, index = 0): EmrCluster {
    return new EmrCluster(
      {
        type: 'emr',
        count: 2,
        name: 'etl',
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: SECRET },
        pollIntervalMs: 1,
        ...extra,
      },
      { ...scope, index, logger },
    );
  }

  const describeAs = (...states: string[]) => {
    let behaviour = emr.on(DescribeClusterCommand);
    for (const state of states.slice(0, -1))
      behaviour = behaviour.resolvesOnce({ Cluster: { Id: 'j-NEW', Status: { State: state as never } } });
    behaviour.resolves({ Cluster: { Id: 'j-NEW', Status: { State: states[states.length - 1] as never } } });
  };

  const operations = () => emr.calls().map((call) => call.args[0].constructor.name.replace(/Command$/, ''));

  async function launched(extra: Partial<EmrClusterOptions> = {}): Promise<EmrCluster> {
    emr.on(ListClustersCommand).resolves({ Clusters: [] });
    emr.on(RunJobFlowCommand).resolves({ JobFlowId: 'j-NEW' });
    describeAs('WAITING');
    const c = cluster(extra);
    await c.launch();
    emr.resetHistory();
    return c;
  }

  describe('launch', () => {
    it('reuses an active cluster with its slot name, reading every ListClusters page', async () => {
      emr
        .on(ListClustersCommand)
        .resolvesOnce({ Clusters: [{ Id: 'j-OTHER', Name: 'etl-2', Status: { State: 'WAITING' } }], Marker: 'page-2' })
        .resolvesOnce({ Clusters: [{ Id: 'j-MINE', Name: 'etl-1', Status: { State: 'BOOTSTRAPPING' } }] });
      emr
        .on(DescribeClusterCommand)
        .resolvesOnce({ Cluster: { Status: { State: 'BOOTSTRAPPING' } } })
        .resolves({ Cluster: { Status: { State: 'WAITING' } } });
      const c = cluster();

      await c.launch();

      expect(c.clusterId).to.equal('j-MINE');
      expect(c.name).to.equal('etl-1');
      expect(emr.commandCalls(RunJobFlowCommand)).to.have.length(0);
      const lists = emr.commandCalls(ListClustersCommand);
      expect(lists.map((call) => call.args[0].input.Marker)).to.deep.equal([undefined, 'page-2']);
      expect(lists[0].args[0].input.ClusterStates).to.have.members(['STARTING', 'BOOTSTRAPPING', 'RUNNING', 'WAITING']);
      expect(emr.commandCalls(DescribeClusterCommand).map((call) => call.args[0].input.ClusterId)).to.deep.equal(['j-MINE', 'j-MINE']);
    });

    it('creates a kept-alive cluster, ended by EMR once idle, tagged with the run, when none has its name', async () => {
      emr.on(ListClustersCommand).resolves({ Clusters: [{ Id: 'j-OTHER', Name: 'etl-2', Status: { State: 'WAITING' } }] });
      emr.on(RunJobFlowCommand).resolves({ JobFlowId: 'j-NEW' });
      describeAs('STARTING', 'BOOTSTRAPPING', 'WAITING');
      const c = cluster({ releaseLabel: 'emr-7.1.0', instanceType: 'r5.2xlarge', instanceCount: 5, logUri: 's3://logs/emr/' });

      await c.launch();

      expect(c.clusterId).to.equal('j-NEW');
      const [run] = emr.commandCalls(RunJobFlowCommand);
      const input = run.args[0].input;
      expect(input.Name).to.equal('etl-1');
      expect(input.ReleaseLabel).to.equal('emr-7.1.0');
      expect(input.LogUri).to.equal('s3://logs/emr/');
      expect(input.Applications).to.deep.equal([{ Name: 'Hadoop' }, { Name: 'Spark' }, { Name: 'Pig' }]);
      expect(input.Instances).to.include({
        MasterInstanceType: 'r5.2xlarge',
        SlaveInstanceType: 'r5.2xlarge',
        InstanceCount: 5,
        KeepJobFlowAliveWhenNoSteps: true,
        TerminationProtected: false,
      });
      expect(input.AutoTerminationPolicy).to.deep.equal({ IdleTimeout: 3600 });
      expect(input.Tags).to.deep.include({ Key: 'synergy-flow:flow', Value: 'daily_etl' });
      expect(input.Tags).to.deep.include({ Key: 'synergy-flow:timeperiod', Value: '2026112600' });
      expect(emr.commandCalls(DescribeClusterCommand)).to.have.length(3);
      expect(logger.text()).to.include('created EMR cluster').and.include('j-NEW');
    });

    it('names a single cluster exactly as configured, and each pool slot with its own suffix', () => {
      expect(cluster({ count: 1 }).name).to.equal('etl');
      expect(cluster({ count: 3 }, 2).name).to.equal('etl-3');
      expect(cluster({ count: undefined }, 1).name).to.equal('etl-2');
    });

    it('reports a cluster that dies while starting with its state-change reason, and leaves nothing to terminate', async () => {
      emr.on(ListClustersCommand).resolves({ Clusters: [] });
      emr.on(RunJobFlowCommand).resolves({ JobFlowId: 'j-DEAD' });
      emr
        .on(DescribeClusterCommand)
        .resolvesOnce({ Cluster: { Status: { State: 'STARTING' } } })
        .resolves({
          Cluster: {
            Status: {
              State: 'TERMINATED_WITH_ERRORS',
              StateChangeReason: {
                Code: 'BOOTSTRAP_FAILURE',
                Message: 'On the master instance, bootstrap action 1 returned a non-zero return code',
              },
            },
          },
        });
      const c = cluster();

      const err = await c.launch().then(
        () => expect.fail('launch should fail'),
        (e: unknown) => e,
      );

      expect(err).to.be.instanceOf(ClusterError);
      const error = err as ClusterError;
      expect(error.message)
        .to.include('j-DEAD')
        .and.include('TERMINATED_WITH_ERRORS')
        .and.include('BOOTSTRAP_FAILURE')
        .and.include('bootstrap action 1');
      expect(error.details).to.deep.include({ clusterId: 'j-DEAD', state: 'TERMINATED_WITH_ERRORS' });
      expect(error.details.stateChangeReason).to.deep.equal({
        code: 'BOOTSTRAP_FAILURE',
        message: 'On the master instance, bootstrap action 1 returned a non-zero return code',
      });
      await c.terminate({ flowFailed: true });
      expect(emr.commandCalls(TerminateJobFlowsCommand)).to.have.length(0);
    });

    it('terminates the cluster it created when it never becomes ready in time', async () => {
      emr.on(ListClustersCommand).resolves({ Clusters: [] });
      emr.on(RunJobFlowCommand).resolves({ JobFlowId: 'j-SLOW' });
      emr.on(DescribeClusterCommand).resolves({ Cluster: { Status: { State: 'STARTING' } } });
      emr.on(SetTerminationProtectionCommand).resolves({});
      emr.on(TerminateJobFlowsCommand).resolves({});
      const c = cluster({ launchTimeoutMs: 30 });

      const err = await c.launch().catch((e: unknown) => e);

      expect(err).to.be.instanceOf(ClusterError);
      expect((err as Error).message)
        .to.include('still STARTING')
        .and.include('launchTimeoutMs');
      expect(operations().slice(-2)).to.deep.equal(['SetTerminationProtection', 'TerminateJobFlows']);
      expect(emr.commandCalls(TerminateJobFlowsCommand)[0].args[0].input.JobFlowIds).to.deep.equal(['j-SLOW']);
    });

    it('stops waiting and terminates the new cluster when terminate() interrupts the launch', async () => {
      emr.on(ListClustersCommand).resolves({ Clusters: [] });
      emr.on(RunJobFlowCommand).resolves({ JobFlowId: 'j-INT' });
      emr.on(DescribeClusterCommand).resolves({ Cluster: { Status: { State: 'STARTING' } } });
      emr.on(SetTerminationProtectionCommand).resolves({});
      emr.on(TerminateJobFlowsCommand).resolves({});
      const c = cluster({ pollIntervalMs: 5 });
      const launch = c.launch().catch((e: unknown) => e);
      while (emr.commandCalls(DescribeClusterCommand).length === 0) await new Promise((r) => setTimeout(r, 1));

      await c.terminate({ flowFailed: false });

      expect(await launch).to.be.instanceOf(ClusterError);
      expect(emr.commandCalls(TerminateJobFlowsCommand)).to.have.length(1);
      expect(emr.commandCalls(SetTerminationProtectionCommand)[0].args[0].input).to.deep.equal({
        JobFlowIds: ['j-INT'],
        TerminationProtected: false,
      });
    });
  });

  describe('steps', () => {
    const stepStates = (...states: string[]) => {
      let behaviour = emr.on(DescribeStepCommand);
      for (const state of states.slice(0, -1))
        behaviour = behaviour.resolvesOnce({ Step: { Id: 's-1', Status: { State: state as never } } });
      behaviour.resolves({ Step: { Id: 's-1', Status: { State: states[states.length - 1] as never } } });
    };

    const submitted = () => {
      const [call] = emr.commandCalls(AddJobFlowStepsCommand);
      expect(call.args[0].input.JobFlowId).to.equal('j-NEW');
      const [step] = call.args[0].input.Steps!;
      expect(step.ActionOnFailure).to.equal('CONTINUE');
      return step;
    };

    it('runs spark-submit in cluster mode through command-runner.jar and waits PENDING -> RUNNING -> COMPLETED', async () => {
      const c = await launched();
      emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-1'] });
      stepStates('PENDING', 'RUNNING', 'RUNNING', 'COMPLETED');
      const stepLog = recordingLogger();

      const result = await c.runSparkStep(
        's3://code/job.py',
        { args: ['--day', '2026-11-26'], conf: { 'spark.executor.memory': '4g' } },
        { logger: stepLog },
      );

      expect(result.exitCode).to.equal(0);
      const step = submitted();
      expect(step.HadoopJarStep).to.deep.equal({
        Jar: 'command-runner.jar',
        Args: ['spark-submit', '--deploy-mode', 'cluster', '--conf', 'spark.executor.memory=4g', 's3://code/job.py', '--day', '2026-11-26'],
      });
      expect(step.Name).to.equal('daily_etl 2026112600: spark-submit s3://code/job.py');
      expect(emr.commandCalls(DescribeStepCommand)).to.have.length(4);
      expect(emr.commandCalls(DescribeStepCommand)[0].args[0].input).to.deep.equal({ ClusterId: 'j-NEW', StepId: 's-1' });
      expect(stepLog.text()).to.include('s-1 is RUNNING').and.include('s-1 is COMPLETED');
    });

    it('runs pig-script with -f and -p parameters', async () => {
      const c = await launched();
      emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-1'] });
      stepStates('COMPLETED');

      await c.runPigStep('s3://code/report.pig', { INPUT: 's3://in/2026', OUTPUT: 's3://out/2026' });

      expect(submitted().HadoopJarStep).to.deep.equal({
        Jar: 'command-runner.jar',
        Args: [
          'pig-script',
          '--run-pig-script',
          '--args',
          '-f',
          's3://code/report.pig',
          '-p',
          'INPUT=s3://in/2026',
          '-p',
          'OUTPUT=s3://out/2026',
        ],
      });
    });

    it('runs a hadoop jar as an EMR jar step, a shell command through bash -c, and an argv as is', async () => {
      const c = await launched();
      emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-1'] });
      stepStates('COMPLETED');

      await c.runHadoopStep('s3://code/wordcount.jar', ['s3://in/', 's3://out/']);
      await c.runShellCommand('hdfs dfs -ls / | wc -l');
      await c.runCommand(['aws', 's3', 'ls', 's3://bucket/a b']);
      await c.runCommand(['printenv', 'DAY'], { env: { DAY: '2026-11-26' }, cwd: '/mnt/work dir' });

      const jarSteps = emr.commandCalls(AddJobFlowStepsCommand).map((call) => call.args[0].input.Steps![0].HadoopJarStep);
      expect(jarSteps).to.deep.equal([
        { Jar: 's3://code/wordcount.jar', Args: ['s3://in/', 's3://out/'] },
        { Jar: 'command-runner.jar', Args: ['bash', '-c', 'hdfs dfs -ls / | wc -l'] },
        { Jar: 'command-runner.jar', Args: ['aws', 's3', 'ls', 's3://bucket/a b'] },
        {
          Jar: 'command-runner.jar',
          Args: ['bash', '-c', 'cd -- "$0" && exec "$@"', '/mnt/work dir', 'env', 'DAY=2026-11-26', 'printenv', 'DAY'],
        },
      ]);
    });

    it('fails a FAILED step with its FailureDetails (reason, message, log file) in the ClusterError', async () => {
      const c = await launched();
      emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-1'] });
      emr
        .on(DescribeStepCommand)
        .resolvesOnce({ Step: { Status: { State: 'RUNNING' } } })
        .resolves({
          Step: {
            Status: {
              State: 'FAILED',
              FailureDetails: {
                Reason: 'Unknown Error.',
                Message: 'Exception in thread "main" java.io.FileNotFoundException',
                LogFile: 's3://logs/j-NEW/steps/s-1/stderr.gz',
              },
            },
          },
        });

      const err = await c.runSparkStep('s3://code/job.py').catch((e: unknown) => e);

      expect(err).to.be.instanceOf(ClusterError);
      const error = err as ClusterError;
      expect(error.message)
        .to.include('s-1')
        .and.include('FAILED')
        .and.include('FileNotFoundException')
        .and.include('s3://logs/j-NEW/steps/s-1/stderr.gz');
      expect(error.details).to.deep.include({ clusterId: 'j-NEW', stepId: 's-1', state: 'FAILED' });
      expect(error.details.failureDetails).to.deep.equal({
        reason: 'Unknown Error.',
        message: 'Exception in thread "main" java.io.FileNotFoundException',
        logFile: 's3://logs/j-NEW/steps/s-1/stderr.gz',
      });
    });

    for (const state of ['CANCELLED', 'INTERRUPTED']) {
      it(`fails a step that ends ${state}`, async () => {
        const c = await launched();
        emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-1'] });
        stepStates('PENDING', state);

        const err = await c.runShellCommand('true').catch((e: unknown) => e);

        expect(err).to.be.instanceOf(ClusterError);
        expect((err as ClusterError).details.state).to.equal(state);
        expect((err as Error).message)
          .to.include(state)
          .and.include('logUri');
      });
    }

    it('keeps watching a step through CANCEL_PENDING: a cancel that does not take effect leaves it running to COMPLETED', async () => {
      const c = await launched();
      emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-1'] });
      stepStates('RUNNING', 'CANCEL_PENDING', 'RUNNING', 'COMPLETED');

      const result = await c.runSparkStep('s3://code/job.py');

      expect(result.exitCode).to.equal(0);
      expect(emr.commandCalls(DescribeStepCommand)).to.have.length(4);
      expect(emr.commandCalls(CancelStepsCommand)).to.have.length(0);
    });

    it('cancels its running EMR step when the signal aborts, and says so once EMR reports it CANCELLED', async () => {
      const c = await launched();
      emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-9'] });
      const controller = new AbortController();
      let cancelled = false;
      emr.on(DescribeStepCommand).callsFake(async () => {
        if (emr.commandCalls(DescribeStepCommand).length === 2) controller.abort(new Error('step timed out'));
        if (!cancelled) return { Step: { Status: { State: 'RUNNING' } } };
        // EMR takes a poll to act on the cancel.
        return { Step: { Status: { State: emr.commandCalls(DescribeStepCommand).length < 4 ? 'CANCEL_PENDING' : 'CANCELLED' } } };
      });
      emr.on(CancelStepsCommand).callsFake(async () => {
        cancelled = true;
        return { CancelStepsInfoList: [{ StepId: 's-9', Status: 'SUBMITTED' }] };
      });

      const err = await c.runSparkStep('s3://code/job.py', {}, { signal: controller.signal }).catch((e: unknown) => e);

      expect(err).to.be.instanceOf(ClusterError);
      expect((err as ClusterError).details).to.deep.include({ stepId: 's-9', aborted: true, cancelled: true, stepState: 'CANCELLED' });
      expect((err as Error).message)
        .to.include('aborted')
        .and.include('s-9 was cancelled');
      const [cancel] = emr.commandCalls(CancelStepsCommand);
      expect(cancel.args[0].input).to.deep.equal({ ClusterId: 'j-NEW', StepIds: ['s-9'], StepCancellationOption: 'SEND_INTERRUPT' });
      expect(emr.commandCalls(DescribeStepCommand)).to.have.length(4);
    });

    it('after an abort, says the step was not cancelled when EMR refuses the cancel and the step goes on running', async () => {
      const c = await launched();
      emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-9'] });
      const controller = new AbortController();
      emr.on(DescribeStepCommand).callsFake(async () => {
        if (emr.commandCalls(DescribeStepCommand).length === 1) controller.abort(new Error('cancelled by the user'));
        return { Step: { Status: { State: 'RUNNING' } } };
      });
      emr
        .on(CancelStepsCommand)
        .resolves({ CancelStepsInfoList: [{ StepId: 's-9', Status: 'FAILED', Reason: 'the step cannot be cancelled' }] });

      const err = await c.runSparkStep('s3://code/job.py', {}, { signal: controller.signal }).catch((e: unknown) => e);

      expect(err).to.be.instanceOf(ClusterError);
      expect((err as ClusterError).details).to.deep.include({ stepId: 's-9', aborted: true, cancelled: false, stepState: 'RUNNING' });
      expect((err as Error).message)
        .to.include('not confirmed cancelled')
        .and.include('may still be running')
        .and.include('aws emr cancel-steps --cluster-id j-NEW --step-ids s-9');
      expect((err as Error).message).to.include('EMR refused the cancel: the step cannot be cancelled');
      expect((err as Error).message).not.to.include('was cancelled');
      // A refused cancel is not waited for: one DescribeStep tells the state the step is in.
      expect(emr.commandCalls(DescribeStepCommand)).to.have.length(2);
    });

    it('after an abort, reports a step that COMPLETED before the cancel took effect as not cancelled', async () => {
      const c = await launched();
      emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-9'] });
      const controller = new AbortController();
      emr.on(DescribeStepCommand).callsFake(async () => {
        if (emr.commandCalls(DescribeStepCommand).length === 1) {
          controller.abort(new Error('cancelled by the user'));
          return { Step: { Status: { State: 'RUNNING' } } };
        }
        return { Step: { Status: { State: 'COMPLETED' } } };
      });
      emr
        .on(CancelStepsCommand)
        .resolves({ CancelStepsInfoList: [{ StepId: 's-9', Status: 'FAILED', Reason: 'step is not pending or running' }] });

      const err = await c.runSparkStep('s3://code/job.py', {}, { signal: controller.signal }).catch((e: unknown) => e);

      expect((err as ClusterError).details).to.deep.include({ cancelled: false, stepState: 'COMPLETED' });
      expect((err as Error).message).to.include('EMR reports it COMPLETED');
    });

    it("refuses a step whose jar and arguments exceed EMR's 10,240 characters, before AddJobFlowSteps", async () => {
      const c = await launched();
      emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-1'] });
      stepStates('COMPLETED');
      const longList = Array.from({ length: 2000 }, (_, i) => `s3://in/${i}`).join(',');

      const err = await c.runSparkStep('s3://code/job.py', { args: ['--inputs', longList] }).catch((e: unknown) => e);

      expect(err).to.be.instanceOf(EmrStepTooLongError);
      expect(err).to.be.instanceOf(ClusterError);
      expect((err as Error).message)
        .to.include('10240')
        .and.include('etl-1')
        .and.include('S3');
      expect(emr.commandCalls(AddJobFlowStepsCommand)).to.have.length(0);
      // Exactly at the limit is accepted: 'command-runner.jar' + 'bash' + '-c' + the command.
      const command = 'x'.repeat(10_240 - 'command-runner.jar'.length - 'bash'.length - '-c'.length);
      expect((await c.runShellCommand(command)).exitCode).to.equal(0);
      expect(emr.commandCalls(AddJobFlowStepsCommand)).to.have.length(1);
    });

    it('refuses a step whose arguments hold a character EMR refuses (a control character, half an emoji), before AddJobFlowSteps', async () => {
      const c = await launched();
      emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-1'] });

      const bell = await c.runCommand(['printf', 'done\u0007']).catch((e: unknown) => e);
      const half = await c.runSparkStep('s3://code/job.py', { args: ['--label', 'launch \uD83D'] }).catch((e: unknown) => e);

      expect(bell).to.be.instanceOf(EmrStepTextError);
      expect((bell as Error).message)
        .to.include('argument 2')
        .and.include('U+0007');
      expect(half).to.be.instanceOf(EmrStepTextError);
      expect((half as Error).message).to.include('lone surrogate');
      expect(emr.commandCalls(AddJobFlowStepsCommand)).to.have.length(0);
      // Tabs and newlines are fine.
      stepStates('COMPLETED');
      await c.runShellCommand('printf "a\tb\n"');
      expect(emr.commandCalls(AddJobFlowStepsCommand)).to.have.length(1);
    });

    it('rejects an empty argv or a bad env name without submitting anything', async () => {
      const c = await launched();
      const empty = c.runCommand([]);
      expect(await empty.catch((e: unknown) => e)).to.be.instanceOf(TypeError);
      expect(await c.runShellCommand('true', { env: { 'NOT-A-NAME': '1' } }).catch((e: unknown) => e)).to.be.instanceOf(TypeError);
      expect(emr.commandCalls(AddJobFlowStepsCommand)).to.have.length(0);
    });

    it('submits nothing when the signal is already aborted', async () => {
      const c = await launched();
      const controller = new AbortController();
      controller.abort();

      const err = await c.runShellCommand('true', { signal: controller.signal }).catch((e: unknown) => e);

      expect(err).to.be.instanceOf(ClusterError);
      expect(emr.commandCalls(AddJobFlowStepsCommand)).to.have.length(0);
    });

    it('refuses steps before launch and after terminate', async () => {
      const fresh = cluster();
      expect(await fresh.runShellCommand('true').catch((e: unknown) => e)).to.be.instanceOf(ClusterError);
      const c = await launched();
      emr.on(SetTerminationProtectionCommand).resolves({});
      emr.on(TerminateJobFlowsCommand).resolves({});
      await c.terminate();
      const err = await c.runShellCommand('true').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ClusterError);
      expect((err as Error).message).to.include('terminated');
    });
  });

  describe('terminate', () => {
    beforeEach(() => {
      emr.on(SetTerminationProtectionCommand).resolves({});
      emr.on(TerminateJobFlowsCommand).resolves({});
    });

    for (const flowFailed of [false, true]) {
      it(`lifts termination protection, then terminates (flowFailed: ${flowFailed})`, async () => {
        const c = await launched();

        await c.terminate({ flowFailed });

        expect(operations()).to.deep.equal(['SetTerminationProtection', 'TerminateJobFlows']);
        expect(emr.commandCalls(SetTerminationProtectionCommand)[0].args[0].input).to.deep.equal({
          JobFlowIds: ['j-NEW'],
          TerminationProtected: false,
        });
        expect(emr.commandCalls(TerminateJobFlowsCommand)[0].args[0].input).to.deep.equal({ JobFlowIds: ['j-NEW'] });
      });
    }

    it('keeps the cluster of a failed flow with keepAliveOnFailure, and logs its id', async () => {
      const c = await launched({ keepAliveOnFailure: true });

      await c.terminate({ flowFailed: true });

      expect(emr.calls()).to.have.length(0);
      expect(logger.text()).to.match(/WARN keeping EMR cluster 'etl-1' \(j-NEW\) alive/);
    });

    it("still terminates a successful flow's cluster with keepAliveOnFailure", async () => {
      const c = await launched({ keepAliveOnFailure: true });
      await c.terminate({ flowFailed: false });
      expect(operations()).to.deep.equal(['SetTerminationProtection', 'TerminateJobFlows']);
    });

    it('runs once however often it is called, and does nothing for a cluster never launched', async () => {
      const c = await launched();
      await Promise.all([c.terminate(), c.terminate({ flowFailed: true })]);
      await c.terminate();
      expect(emr.commandCalls(TerminateJobFlowsCommand)).to.have.length(1);
      await cluster().terminate();
      expect(emr.commandCalls(TerminateJobFlowsCommand)).to.have.length(1);
    });

    it('says which cluster may still be running when TerminateJobFlows fails', async () => {
      const c = await launched();
      emr.on(TerminateJobFlowsCommand).rejects(Object.assign(new Error('Access denied'), { name: 'AccessDeniedException' }));
      const err = await c.terminate().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ClusterError);
      expect((err as Error).message)
        .to.include('j-NEW')
        .and.include('aws emr terminate-clusters');
    });
  });

  describe('credentials', () => {
    it('never appear in util.inspect, JSON, logs or errors', async () => {
      emr.on(ListClustersCommand).resolves({ Clusters: [] });
      emr.on(RunJobFlowCommand).resolves({ JobFlowId: 'j-NEW' });
      describeAs('TERMINATED_WITH_ERRORS');
      const c = cluster({});

      const err = await c.launch().catch((e: unknown) => e);

      for (const text of [
        inspect(c, { depth: 10, showHidden: true }),
        JSON.stringify(c),
        inspect(c.filesystem, { depth: 10 }),
        logger.text(),
        inspect(err, { depth: 10 }),
      ]) {
        expect(text).not.to.include(SECRET);
        expect(text).not.to.include('AKIAFAKE');
      }
      expect(inspect(c)).to.include('etl-1').and.include('j-NEW');
    });
  });
});
