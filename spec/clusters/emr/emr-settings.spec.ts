import { expect } from 'chai';
import { EMR_DEFAULTS, resolveEmrSettings, type EmrExtraOptions } from '../../../src/clusters/emr/emr-settings';
import { buildRunJobFlowInput } from '../../../src/clusters/emr/emr-job-flow-builder';
import type { EmrClusterOptions } from '../../../src/clusters/cluster-options';

const base: EmrClusterOptions = { type: 'emr', name: 'etl', region: 'us-east-1' };

describe('resolveEmrSettings', () => {
  it('gives every pool slot its own name, and a single cluster the configured one', () => {
    expect([0, 1, 2].map((i) => resolveEmrSettings({ ...base, count: 3 }, i).name)).to.deep.equal(['etl-1', 'etl-2', 'etl-3']);
    expect(resolveEmrSettings({ ...base, count: 1 }, 0).name).to.equal('etl');
    // The engine's default pool is 2 clusters.
    expect(resolveEmrSettings(base, 0).name).to.equal('etl-1');
    // A run may ask for more clusters than count: the extra slots must not share the first one's name.
    expect(resolveEmrSettings({ ...base, count: 1 }, 1).name).to.equal('etl-2');
  });

  it('fills in defaults and keeps what is given', () => {
    const settings = resolveEmrSettings({ ...base, count: 1 }, 0);
    expect(settings).to.include({ releaseLabel: EMR_DEFAULTS.releaseLabel, instanceType: 'm5.xlarge', instanceCount: 3, pollIntervalMs: 15_000, keepAliveOnFailure: false, maxAttempts: 10, retryMode: 'adaptive', s3ForcePathStyle: false });
    expect(settings.applications).to.deep.equal(['Hadoop', 'Spark', 'Pig']);
    const custom = resolveEmrSettings({ ...base, count: 1, applications: ['Spark'], s3Endpoint: 'http://127.0.0.1:9000', retryMode: 'standard', maxAttempts: 3 } as EmrClusterOptions & EmrExtraOptions, 0);
    expect(custom).to.include({ s3ForcePathStyle: true, retryMode: 'standard', maxAttempts: 3 });
    expect(custom.applications).to.deep.equal(['Spark']);
  });

  it('holds no credentials', () => {
    const settings = resolveEmrSettings({ ...base, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'shh' } }, 0);
    expect(JSON.stringify(settings)).not.to.include('shh');
  });

  it('rejects missing or wrong options with the option named', () => {
    expect(() => resolveEmrSettings({ ...base, name: '' }, 0)).to.throw(TypeError, /'name'/);
    expect(() => resolveEmrSettings({ ...base, region: undefined as never }, 0)).to.throw(TypeError, /'region'/);
    expect(() => resolveEmrSettings({ ...base, pollIntervalMs: 0 }, 0)).to.throw(TypeError, /'pollIntervalMs'/);
    expect(() => resolveEmrSettings({ ...base, instanceCount: -1 }, 0)).to.throw(TypeError, /'instanceCount'/);
    expect(() => resolveEmrSettings({ ...base, retryMode: 'legacy' } as never, 0)).to.throw(TypeError, /'retryMode'/);
    expect(() => resolveEmrSettings({ ...base, name: 'x'.repeat(260) }, 0)).to.throw(TypeError, /256/);
  });
});

describe('buildRunJobFlowInput', () => {
  it('adds the user tags, and optional network settings only when given', () => {
    const settings = resolveEmrSettings({ ...base, count: 1, tags: { team: 'data' }, ec2SubnetId: 'subnet-1' } as EmrClusterOptions & EmrExtraOptions, 0);
    const input = buildRunJobFlowInput(settings, { index: 0, flowName: 'f', timeperiod: '2026112600' });
    expect(input.Tags).to.deep.include({ Key: 'team', Value: 'data' });
    expect(input.Tags).to.deep.include({ Key: 'synergy-flow:cluster-slot', Value: '1' });
    expect(input.Instances?.Ec2SubnetId).to.equal('subnet-1');
    expect(input.Instances?.Ec2KeyName).to.equal(undefined);
    expect(input).to.include({ ServiceRole: 'EMR_DefaultRole', JobFlowRole: 'EMR_EC2_DefaultRole', VisibleToAllUsers: true });
  });
});
