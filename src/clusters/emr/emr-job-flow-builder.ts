import type { RunJobFlowInput, Tag } from '@aws-sdk/client-emr';
import { fitEmrName } from './emr-name-fit';
import { EMR_LIMITS } from './emr-options.schema';
import type { EmrSettings } from './emr-settings';
import { EMR_TAGS } from './emr-tags';

/** What a cluster knows about the run it serves. */
export interface EmrRunScope {
  index: number;
  flowName: string;
  timeperiod: string;
}

/**
 * The RunJobFlow request for a new cluster. It stays alive between steps (the engine adds them one
 * by one) and the engine terminates it at the end of the run; the AutoTerminationPolicy ends it
 * anyway once idle, should the engine die first (kill -9, a lost machine). It is not
 * termination-protected: protection would also stop that policy, and would make a cluster orphaned
 * by a lost engine cost money until a person finds it.
 */
export function buildRunJobFlowInput(settings: EmrSettings, scope: EmrRunScope, clientToken: string): RunJobFlowInput {
  const tags: Tag[] = [
    ...Object.entries(settings.tags).map(([Key, Value]) => ({ Key, Value })),
    { Key: EMR_TAGS.createdBy, Value: 'synergy-flow' },
    { Key: EMR_TAGS.flow, Value: fitEmrName(scope.flowName, EMR_LIMITS.tagValueLength) },
    { Key: EMR_TAGS.timeperiod, Value: scope.timeperiod },
    { Key: EMR_TAGS.slot, Value: String(scope.index + 1) },
    { Key: EMR_TAGS.clientToken, Value: clientToken },
    { Key: EMR_TAGS.emrManagedPolicies, Value: 'true' },
  ];
  return {
    Name: settings.name,
    ReleaseLabel: settings.releaseLabel,
    Applications: settings.applications.map((Name) => ({ Name })),
    LogUri: settings.logUri,
    ServiceRole: settings.serviceRole,
    JobFlowRole: settings.jobFlowRole,
    Instances: {
      MasterInstanceType: settings.instanceType,
      SlaveInstanceType: settings.instanceType,
      InstanceCount: settings.instanceCount,
      KeepJobFlowAliveWhenNoSteps: true,
      TerminationProtected: false,
      Ec2SubnetId: settings.ec2SubnetId,
      Ec2KeyName: settings.ec2KeyName,
    },
    ...(settings.autoTerminateIdleSeconds === false ? {} : { AutoTerminationPolicy: { IdleTimeout: settings.autoTerminateIdleSeconds } }),
    ...(settings.bootstrapActions.length
      ? {
          BootstrapActions: settings.bootstrapActions.map((action) => ({
            Name: action.name,
            ScriptBootstrapAction: { Path: action.path, ...(action.args ? { Args: [...action.args] } : {}) },
          })),
        }
      : {}),
    ...(settings.configurations.length ? { Configurations: structuredClone(settings.configurations) } : {}),
    Tags: tags,
  };
}
