import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AddJobFlowStepsCommand,
  AddTagsCommand,
  DescribeClusterCommand,
  DescribeStepCommand,
  EMRClient,
  ListClustersCommand,
  RunJobFlowCommand,
  SetTerminationProtectionCommand,
  TerminateJobFlowsCommand,
} from '@aws-sdk/client-emr';
import { Flow, Main, Step, type StepContext, type Type } from '../../../src';
import { createTestingApp, type TestingApp } from '../../../src/testing';

const TIMEPERIOD = '2026112600';
const CREDENTIALS = { accessKeyId: 'AKIASTEPCONTEXT00001', secretAccessKey: 'step/context/Secret+Key' };
const mockEmr = () => mockClient(EMRClient);
const seen: { clusterId?: string; name?: string; overwrite?: string }[] = [];

/** A step that calls the EMR API itself, on the cluster it runs on: it tags it, then logs its id. */
@Step({ name: 'tag_cluster' })
class TagCluster {
  @Main() async run(ctx: StepContext) {
    const { clusterId, name } = ctx.cluster;
    let overwrite: string | undefined;
    try {
      (ctx.cluster as { clusterId?: string }).clusterId = 'j-SOMEONEELSE';
    } catch (err) {
      overwrite = (err as Error).name;
    }
    seen.push({ clusterId, name, overwrite });
    if (clusterId) {
      const emr = new EMRClient({ region: 'us-east-1', credentials: CREDENTIALS });
      await emr.send(new AddTagsCommand({ ResourceId: clusterId, Tags: [{ Key: 'owner', Value: ctx.stepName }] }));
    }
    ctx.logger.info(`tagged cluster ${name} (${clusterId ?? 'no EMR id'})`);
    await ctx.cluster.runShellCommand('echo done');
  }
}

@Flow({ name: 'tagging', steps: [TagCluster] })
class Tagging {}

/** A step that tries to end the cluster it shares with the run's other steps. */
@Step({ name: 'end_cluster', retries: 2, retryDelayMs: 0 })
class EndCluster {
  @Main() async run(ctx: StepContext) {
    await ctx.cluster.terminate();
  }
}

@Flow({ name: 'ending', steps: [EndCluster] })
class Ending {}

describe("a step's ctx.cluster names the cluster it runs on: clusterId, read-only", () => {
  let t: TestingApp | undefined;
  // Stubbed in before(), not at load time: other specs use the real clients.
  let emr: ReturnType<typeof mockEmr>;

  before(() => (emr = mockEmr()));
  beforeEach(() => {
    emr.reset();
    seen.length = 0;
  });
  afterEach(async () => {
    await t?.teardown();
    t = undefined;
  });
  after(() => emr.restore());

  /** An application of `flows` on one EMR cluster `etl`, whose launch finds `clusterId` ready and whose end terminates it. */
  async function onEmrCluster(flows: Type[], clusterId: string): Promise<TestingApp> {
    emr.on(ListClustersCommand).resolves({ Clusters: [] });
    emr.on(RunJobFlowCommand).resolves({ JobFlowId: clusterId });
    emr.on(DescribeClusterCommand).resolves({ Cluster: { Id: clusterId, Status: { State: 'WAITING' } } });
    emr.on(SetTerminationProtectionCommand).resolves({});
    emr.on(TerminateJobFlowsCommand).resolves({});
    return createTestingApp({
      flows,
      cluster: { type: 'emr', count: 1, name: 'etl', region: 'us-east-1', credentials: CREDENTIALS, pollIntervalMs: 1 },
    });
  }

  it('gives the EMR job flow id (j-...) and the name on EMR: the step tags its own cluster and logs the id; it cannot change it', async () => {
    emr.on(AddJobFlowStepsCommand).resolves({ StepIds: ['s-1'] });
    emr.on(DescribeStepCommand).resolves({ Step: { Id: 's-1', Status: { State: 'COMPLETED' } } });
    emr.on(AddTagsCommand).resolves({});
    t = await onEmrCluster([Tagging], 'j-STEPCONTEXT1');

    const result = await t.app.run('tagging', { timeperiod: TIMEPERIOD });

    expect(result.state, JSON.stringify(await t.app.status('tagging', TIMEPERIOD))).to.equal('processed');
    expect(seen).to.deep.equal([{ clusterId: 'j-STEPCONTEXT1', name: 'etl', overwrite: 'TypeError' }]);
    expect(emr.commandCalls(AddTagsCommand).map((call) => call.args[0].input.ResourceId)).to.deep.equal(['j-STEPCONTEXT1']);
    // The engine's own calls still go to the cluster it launched, whatever the step tried.
    for (const call of emr.commandCalls(AddJobFlowStepsCommand)) expect(call.args[0].input.JobFlowId).to.equal('j-STEPCONTEXT1');
    expect(emr.commandCalls(TerminateJobFlowsCommand)[0].args[0].input.JobFlowIds).to.deep.equal(['j-STEPCONTEXT1']);
    await t.app.logs.written();
    const stepLog = fs.readFileSync(path.join(t.logDirectory, 'tagging', 'tag_cluster.log'), 'utf8');
    expect(stepLog).to.include('tagged cluster etl (j-STEPCONTEXT1)');
  });

  it('has no EMR id on the local cluster: clusterId is undefined, the name says which local slot', async () => {
    t = await createTestingApp({ flows: [Tagging], cluster: { type: 'local', count: 1 } });

    const result = await t.app.run('tagging', { timeperiod: TIMEPERIOD });

    expect(result.state).to.equal('processed');
    expect(seen).to.deep.equal([{ clusterId: undefined, name: 'local-1', overwrite: 'TypeError' }]);
    expect(emr.calls()).to.be.empty;
  });

  it("refuses a step's terminate(): the step fails at once (no retry) saying why, and only the run's end terminates the cluster", async () => {
    t = await onEmrCluster([Ending], 'j-STEPCONTEXT2');

    const result = await t.app.run('ending', { timeperiod: TIMEPERIOD });

    expect(result.state).to.equal('invalid');
    const [step] = (await t.app.status('ending', TIMEPERIOD)).steps;
    expect(step).to.include({ stepName: 'end_cluster', state: 'invalid', attempt: 1 });
    expect(step.error).to.match(
      /NonRetryableError: a step cannot terminate the cluster it runs on \(etl, j-STEPCONTEXT2\): the run's steps share it, .* Remove the terminate\(\) call from the step\./,
    );
    // The engine's own termination at the run's end, once: nothing before it.
    expect(emr.commandCalls(TerminateJobFlowsCommand)).to.have.length(1);
  });
});
