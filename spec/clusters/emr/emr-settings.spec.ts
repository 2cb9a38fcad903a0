import { expect } from 'chai';
import { EMR_DEFAULTS, resolveEmrSettings } from '../../../src/clusters/emr/emr-settings';
import { buildRunJobFlowInput } from '../../../src/clusters/emr/emr-job-flow-builder';
import type { EmrClusterOptions } from '../../../src/clusters/cluster-options';
import { ConfigurationError } from '../../../src/errors';

const base: EmrClusterOptions = { type: 'emr', name: 'etl', region: 'us-east-1' };
const scope = { index: 0, flowName: 'f', timeperiod: '2026112600' };

/** The ConfigurationError resolveEmrSettings throws for these options. */
function problemsOf(options: unknown): ConfigurationError {
  try {
    resolveEmrSettings(options as EmrClusterOptions, 0);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigurationError);
    return err as ConfigurationError;
  }
  return expect.fail('the options should have been refused');
}

describe('resolveEmrSettings', () => {
  it('gives every pool slot its own name, and a single cluster the configured one', () => {
    expect([0, 1, 2].map((i) => resolveEmrSettings({ ...base, count: 3 }, i).name)).to.deep.equal(['etl-1', 'etl-2', 'etl-3']);
    expect(resolveEmrSettings({ ...base, count: 1 }, 0).name).to.equal('etl');
    // The engine's default pool is 2 clusters.
    expect(resolveEmrSettings(base, 0).name).to.equal('etl-1');
    // A run may ask for more clusters than count: the extra slots must not share the first one's name.
    expect(resolveEmrSettings({ ...base, count: 1 }, 1).name).to.equal('etl-2');
  });

  it('fills in defaults (the current EMR release, the V2 service role, a 1 hour idle auto-termination) and keeps what is given', () => {
    const settings = resolveEmrSettings({ ...base, count: 1 }, 0);
    expect(settings).to.include({
      releaseLabel: 'emr-7.12.0',
      serviceRole: 'EMR_DefaultRole_V2',
      jobFlowRole: 'EMR_EC2_DefaultRole',
      autoTerminateIdleSeconds: 3600,
      instanceType: 'm5.xlarge',
      instanceCount: 3,
      pollIntervalMs: 15_000,
      keepAliveOnFailure: false,
      maxAttempts: 10,
      retryMode: 'adaptive',
      s3ForcePathStyle: false,
    });
    expect(settings.applications).to.deep.equal(['Hadoop', 'Spark', 'Pig']);
    expect(settings.configurations).to.deep.equal(EMR_DEFAULTS.configurations);
    const custom = resolveEmrSettings(
      {
        ...base,
        count: 1,
        applications: ['Spark'],
        s3Endpoint: 'http://127.0.0.1:9000',
        retryMode: 'standard',
        maxAttempts: 3,
        autoTerminateIdleSeconds: false,
      },
      0,
    );
    expect(custom).to.include({ s3ForcePathStyle: true, retryMode: 'standard', maxAttempts: 3, autoTerminateIdleSeconds: false });
    expect(custom.applications).to.deep.equal(['Spark']);
  });

  it('holds no credentials', () => {
    const settings = resolveEmrSettings({ ...base, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'shh' } }, 0);
    expect(JSON.stringify(settings)).not.to.include('shh');
  });
});

describe('EMR cluster options validation', () => {
  it('refuses what AWS would refuse, all problems in one ConfigurationError naming each option', () => {
    const err = problemsOf({
      ...base,
      instanceCount: 2.5,
      count: 0,
      pollIntervalMs: -1,
      retryMode: 'legacy',
      releaseLabel: '7.12',
      tags: { ['k'.repeat(129)]: 'v', team: 'v'.repeat(257) },
      autoTerminateIdleSeconds: 30,
    });
    const paths = err.problems.map((p) => p.path);
    expect(paths).to.include.members([
      'instanceCount',
      'count',
      'pollIntervalMs',
      'retryMode',
      'releaseLabel',
      'autoTerminateIdleSeconds',
      'tags.team',
    ]);
    expect(paths.some((p) => p.startsWith('tags.kkk'))).to.equal(true);
    expect(err.message).to.include('whole number').and.include('128').and.include('256').and.include('60');
    expect(problemsOf({ ...base, tags: { 'synergy-flow:flow': 'mine', 'aws:team': 'x' } }).problems.map((p) => p.path)).to.have.members([
      'tags.synergy-flow:flow',
      'tags.aws:team',
    ]);
  });

  it('refuses unknown options with a "did you mean", typos included (logURI, jobflowRole)', () => {
    const err = problemsOf({ ...base, logURI: 's3://logs/', jobflowRole: 'MyRole' });
    expect(err.problems).to.deep.include({ path: 'logURI', message: "unknown option; did you mean 'logUri'?" });
    expect(err.problems).to.deep.include({ path: 'jobflowRole', message: "unknown option; did you mean 'jobFlowRole'?" });
  });

  it('refuses the same typos at compile time: the option type comes from the schema', () => {
    // Each directive fails the build if the typo is accepted by TypeScript.
    // @ts-expect-error logURI is not an EMR option (logUri is)
    const typo: EmrClusterOptions = { ...base, logURI: 's3://logs/' };
    // @ts-expect-error instanceCount is a number
    const wrongType: EmrClusterOptions = { ...base, instanceCount: '3' };
    expect(typo).to.be.an('object');
    expect(wrongType).to.be.an('object');
  });

  it('refuses names and tags holding a lone surrogate (half an emoji)', () => {
    const half = '\uD83D'; // the first half of 🚀
    const err = problemsOf({ ...base, name: `etl-${half}`, tags: { team: `data${half}` } });
    expect(err.problems.map((p) => p.path)).to.include.members(['name', 'tags.team']);
    expect(err.message).to.include('lone surrogate');
    expect(resolveEmrSettings({ ...base, name: 'etl-🚀', count: 1 }, 0).name).to.equal('etl-🚀');
    // EMR's string pattern refuses control characters too (all but tab, CR and LF).
    expect(problemsOf({ ...base, name: 'etl\u001b[1m' }).message).to.include('U+001B');
  });

  it('refuses a name that the slot suffix takes past 256 characters', () => {
    const err = problemsOf({ ...base, name: 'x'.repeat(256), count: 2 });
    expect(err.problems[0].path).to.equal('name');
    expect(err.message).to.include('256');
  });

  it('takes autoTerminateIdleSeconds from 60 to 604800, or false; nothing else', () => {
    for (const ok of [60, 3600, 604_800, false] as const)
      expect(resolveEmrSettings({ ...base, autoTerminateIdleSeconds: ok }, 0).autoTerminateIdleSeconds).to.equal(ok);
    for (const bad of [59, 604_801, 90.5, true, '3600'] as unknown[])
      expect(problemsOf({ ...base, autoTerminateIdleSeconds: bad }).problems[0].path).to.equal('autoTerminateIdleSeconds');
  });

  it('checks bootstrap actions and configurations, unknown keys inside them too', () => {
    const err = problemsOf({
      ...base,
      bootstrapActions: [
        { name: 'install', args: ['x'] },
        { name: 'ok', path: 's3://b/ok.sh', arg: ['typo'] },
      ],
      configurations: [{ Classification: 'spark-defaults', Properties: { 'spark.executor.memory': 4 } }, { classification: 'spark' }],
    });
    const paths = err.problems.map((p) => p.path);
    expect(paths).to.include.members([
      'bootstrapActions[0].path',
      'bootstrapActions[1].arg',
      'configurations[0].Properties.spark.executor.memory',
      'configurations[1].classification',
    ]);
    expect(err.problems.find((p) => p.path === 'bootstrapActions[1].arg')!.message).to.include("did you mean 'args'");
    expect(err.problems.find((p) => p.path === 'configurations[1].classification')!.message).to.include("did you mean 'Classification'");
  });

  it('never puts a credential in the error', () => {
    const err = problemsOf({
      ...base,
      credentials: { accessKeyId: 'AKIAVISIBLE', secretAccessKey: 'shh-secret', sesionToken: 'tok-secret' },
      instanceCount: 'AKIAVISIBLE',
    });
    expect(err.message).not.to.include('shh-secret').and.not.to.include('tok-secret').and.not.to.include('AKIAVISIBLE');
    expect(err.problems.map((p) => p.path)).to.include('credentials.sesionToken');
  });
});

describe('buildRunJobFlowInput', () => {
  it('adds the user tags, and optional network settings only when given', () => {
    const settings = resolveEmrSettings({ ...base, count: 1, tags: { team: 'data' }, ec2SubnetId: 'subnet-1' }, 0);
    const input = buildRunJobFlowInput(settings, scope, 'token-1');
    expect(input.Tags).to.deep.include({ Key: 'team', Value: 'data' });
    expect(input.Tags).to.deep.include({ Key: 'synergy-flow:cluster-slot', Value: '1' });
    expect(input.Instances?.Ec2SubnetId).to.equal('subnet-1');
    expect(input.Instances?.Ec2KeyName).to.equal(undefined);
  });

  it('creates clusters with the V2 service role, an idle auto-termination policy, no termination protection, and without VisibleToAllUsers', () => {
    const input = buildRunJobFlowInput(resolveEmrSettings(base, 0), scope, 'token-1');
    expect(input).to.include({ ServiceRole: 'EMR_DefaultRole_V2', JobFlowRole: 'EMR_EC2_DefaultRole', ReleaseLabel: 'emr-7.12.0' });
    expect(input).not.to.have.property('VisibleToAllUsers');
    expect(input.AutoTerminationPolicy).to.deep.equal({ IdleTimeout: 3600 });
    expect(input.Instances).to.include({ KeepJobFlowAliveWhenNoSteps: true, TerminationProtected: false });
    expect(input.Tags).to.deep.include({ Key: 'synergy-flow:client-token', Value: 'token-1' });
    // The V2 service role's managed policy only acts on resources carrying this tag.
    expect(input.Tags).to.deep.include({ Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true' });
    expect(input.Tags).to.have.length(6);
    expect(input.Configurations).to.deep.equal([{ Classification: 'spark', Properties: { maximizeResourceAllocation: 'true' } }]);
    expect(input).not.to.have.property('BootstrapActions');

    expect(
      buildRunJobFlowInput(resolveEmrSettings({ ...base, autoTerminateIdleSeconds: 900 }, 0), scope, 't').AutoTerminationPolicy,
    ).to.deep.equal({ IdleTimeout: 900 });
    expect(buildRunJobFlowInput(resolveEmrSettings({ ...base, autoTerminateIdleSeconds: false }, 0), scope, 't')).not.to.have.property(
      'AutoTerminationPolicy',
    );
  });

  it('passes bootstrap actions and configurations in the shape of the EMR API', () => {
    const configurations = [
      { Classification: 'spark-defaults', Properties: { 'spark.executor.memory': '4g' } },
      { Classification: 'hadoop-env', Configurations: [{ Classification: 'export', Properties: { JAVA_HOME: '/usr/lib/jvm/java-17' } }] },
    ];
    const settings = resolveEmrSettings(
      {
        ...base,
        bootstrapActions: [
          { name: 'install deps', path: 's3://code/install.sh', args: ['--quiet'] },
          { name: 'no args', path: 'file:/usr/bin/true' },
        ],
        configurations,
      },
      0,
    );
    const input = buildRunJobFlowInput(settings, scope, 't');
    expect(input.BootstrapActions).to.deep.equal([
      { Name: 'install deps', ScriptBootstrapAction: { Path: 's3://code/install.sh', Args: ['--quiet'] } },
      { Name: 'no args', ScriptBootstrapAction: { Path: 'file:/usr/bin/true' } },
    ]);
    expect(input.Configurations).to.deep.equal(configurations);
    expect(buildRunJobFlowInput(resolveEmrSettings({ ...base, configurations: [] }, 0), scope, 't')).not.to.have.property('Configurations');
  });

  it('cuts a long flow name in its tag on a code-point boundary', () => {
    const flowName = 'f'.repeat(252) + '🚀🚀';
    const input = buildRunJobFlowInput(resolveEmrSettings(base, 0), { ...scope, flowName }, 't');
    const value = input.Tags!.find((t) => t.Key === 'synergy-flow:flow')!.Value!;
    expect(value.length).to.be.at.most(256);
    expect(value).not.to.match(/\p{Surrogate}/u);
  });
});
