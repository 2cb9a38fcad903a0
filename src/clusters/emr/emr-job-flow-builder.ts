import type { RunJobFlowInput, Tag } from '@aws-sdk/client-emr';
import type { EmrSettings } from './emr-settings';

/** Tag keys this engine puts on the clusters it creates: who created it, for which run. */
export const EMR_TAGS = {
  createdBy: 'synergy-flow:created-by',
  flow: 'synergy-flow:flow',
  timeperiod: 'synergy-flow:timeperiod',
  slot: 'synergy-flow:cluster-slot',
} as const;

/** What a cluster knows about the run it serves. */
export interface EmrRunScope {
  index: number;
  flowName: string;
  timeperiod: string;
}

/**
 * The RunJobFlow request for a new cluster. It stays alive between steps (the engine adds them one
 * by one) and is termination-protected, so only this engine's terminate() (which lifts the
 * protection first) or a person can end it.
 */
export function buildRunJobFlowInput(settings: EmrSettings, scope: EmrRunScope): RunJobFlowInput {
  const tags: Tag[] = [
    ...Object.entries(settings.tags).map(([Key, Value]) => ({ Key, Value })),
    { Key: EMR_TAGS.createdBy, Value: 'synergy-flow' },
    { Key: EMR_TAGS.flow, Value: scope.flowName },
    { Key: EMR_TAGS.timeperiod, Value: scope.timeperiod },
    { Key: EMR_TAGS.slot, Value: String(scope.index + 1) },
  ];
  return {
    Name: settings.name,
    ReleaseLabel: settings.releaseLabel,
    Applications: settings.applications.map((Name) => ({ Name })),
    LogUri: settings.logUri,
    ServiceRole: settings.serviceRole,
    JobFlowRole: settings.jobFlowRole,
    VisibleToAllUsers: true,
    Instances: {
      MasterInstanceType: settings.instanceType,
      SlaveInstanceType: settings.instanceType,
      InstanceCount: settings.instanceCount,
      KeepJobFlowAliveWhenNoSteps: true,
      TerminationProtected: true,
      Ec2SubnetId: settings.ec2SubnetId,
      Ec2KeyName: settings.ec2KeyName,
    },
    Tags: tags,
  };
}
