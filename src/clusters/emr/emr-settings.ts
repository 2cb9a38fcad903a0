import { parseOptions } from '../../config/parse-options';
import { ConfigurationError } from '../../errors/configuration.error';
import {
  EMR_LIMITS,
  emrClusterOptionsSchema,
  type EmrBootstrapAction,
  type EmrClusterOptions,
  type EmrConfiguration,
} from './emr-options.schema';

/** Everything an EmrCluster needs except the credentials, which are never kept next to data that may be printed. */
export interface EmrSettings {
  name: string;
  region: string;
  endpoint?: string;
  releaseLabel: string;
  instanceType: string;
  instanceCount: number;
  applications: string[];
  keepAliveOnFailure: boolean;
  pollIntervalMs: number;
  /** Idle seconds before EMR ends a cluster this engine created; false: never. */
  autoTerminateIdleSeconds: number | false;
  bootstrapActions: EmrBootstrapAction[];
  configurations: EmrConfiguration[];
  logUri?: string;
  serviceRole: string;
  jobFlowRole: string;
  ec2SubnetId?: string;
  ec2KeyName?: string;
  tags: Record<string, string>;
  launchTimeoutMs: number;
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
  s3Endpoint?: string;
  s3ForcePathStyle: boolean;
}

export const EMR_DEFAULTS = {
  releaseLabel: 'emr-7.12.0',
  instanceType: 'm5.xlarge',
  instanceCount: 3,
  applications: ['Hadoop', 'Spark', 'Pig'],
  pollIntervalMs: 15_000,
  autoTerminateIdleSeconds: 3600,
  /** Spark sizes its executors to the nodes (the seed always did this); `configurations` replaces it. */
  configurations: [{ Classification: 'spark', Properties: { maximizeResourceAllocation: 'true' } }] as EmrConfiguration[],
  /** The V2 service role: EMR_DefaultRole (V1) and its managed policy are on AWS's deprecation path. */
  serviceRole: 'EMR_DefaultRole_V2',
  jobFlowRole: 'EMR_EC2_DefaultRole',
  launchTimeoutMs: 60 * 60_000,
  maxAttempts: 10,
  retryMode: 'adaptive',
} as const;

const SUBJECT = 'the emr cluster options';

/**
 * Validates the options (one ConfigurationError listing every problem) and fills in defaults. Each
 * slot of a pool of several clusters gets its own name (`<name>-<index+1>`), so that reusing a
 * running cluster by name never hands one EMR cluster to two slots; a single cluster keeps the
 * configured name.
 */
export function resolveEmrSettings(options: EmrClusterOptions, index: number): EmrSettings {
  const parsed = parseOptions(emrClusterOptionsSchema, options, SUBJECT);
  // The engine's default pool size is 2, so an absent count means a pool; a run may also ask for more
  // clusters than count (RunOptions.clusters), so any slot after the first is suffixed too.
  const pooled = (parsed.count ?? 2) > 1 || index > 0;
  const name = pooled ? `${parsed.name}-${index + 1}` : parsed.name;
  if (name.length > EMR_LIMITS.nameLength) {
    throw new ConfigurationError(SUBJECT, [
      {
        path: 'name',
        message: `'${name}' (the slot suffix included) is longer than EMR's ${EMR_LIMITS.nameLength} characters; shorten the name`,
      },
    ]);
  }
  return {
    name,
    region: parsed.region,
    endpoint: parsed.endpoint,
    releaseLabel: parsed.releaseLabel ?? EMR_DEFAULTS.releaseLabel,
    instanceType: parsed.instanceType ?? EMR_DEFAULTS.instanceType,
    instanceCount: parsed.instanceCount ?? EMR_DEFAULTS.instanceCount,
    applications: parsed.applications ?? [...EMR_DEFAULTS.applications],
    keepAliveOnFailure: parsed.keepAliveOnFailure === true,
    pollIntervalMs: parsed.pollIntervalMs ?? EMR_DEFAULTS.pollIntervalMs,
    autoTerminateIdleSeconds: parsed.autoTerminateIdleSeconds ?? EMR_DEFAULTS.autoTerminateIdleSeconds,
    bootstrapActions: parsed.bootstrapActions ?? [],
    configurations: parsed.configurations ?? structuredClone(EMR_DEFAULTS.configurations),
    logUri: parsed.logUri,
    serviceRole: parsed.serviceRole ?? EMR_DEFAULTS.serviceRole,
    jobFlowRole: parsed.jobFlowRole ?? EMR_DEFAULTS.jobFlowRole,
    ec2SubnetId: parsed.ec2SubnetId,
    ec2KeyName: parsed.ec2KeyName,
    tags: { ...(parsed.tags ?? {}) },
    launchTimeoutMs: parsed.launchTimeoutMs ?? EMR_DEFAULTS.launchTimeoutMs,
    maxAttempts: parsed.maxAttempts ?? EMR_DEFAULTS.maxAttempts,
    retryMode: parsed.retryMode ?? EMR_DEFAULTS.retryMode,
    s3Endpoint: parsed.s3Endpoint,
    s3ForcePathStyle: parsed.s3ForcePathStyle ?? parsed.s3Endpoint !== undefined,
  };
}
