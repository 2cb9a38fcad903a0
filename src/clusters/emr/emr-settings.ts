import type { EmrClusterOptions } from '../cluster-options';

/**
 * Settings read from `EmrClusterOptions` beyond the ones its interface names. The options type has
 * an index signature, so these are accepted as is; they are documented in docs/emr.md.
 */
export interface EmrExtraOptions {
  /** S3 URI where EMR writes cluster and step logs; without it a failed step's FailureDetails has no log file. */
  logUri?: string;
  serviceRole?: string;
  jobFlowRole?: string;
  ec2SubnetId?: string;
  ec2KeyName?: string;
  /** Extra tags for clusters this engine creates. */
  tags?: Record<string, string>;
  /** How long launch() waits for a cluster to be ready before giving up. */
  launchTimeoutMs?: number;
  /** SDK retry strategy: attempts per API call (throttling and transient errors). */
  maxAttempts?: number;
  /** SDK retry mode: 'standard' or 'adaptive' (adaptive also rate-limits the client after throttling). */
  retryMode?: 'standard' | 'adaptive';
  /** The S3 filesystem's endpoint (e.g. a local S3-compatible store); `endpoint` is EMR's only. */
  s3Endpoint?: string;
  /** Path-style S3 addressing; defaults to true when `s3Endpoint` is set. */
  s3ForcePathStyle?: boolean;
}

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
  releaseLabel: 'emr-7.5.0',
  instanceType: 'm5.xlarge',
  instanceCount: 3,
  applications: ['Hadoop', 'Spark', 'Pig'],
  pollIntervalMs: 15_000,
  serviceRole: 'EMR_DefaultRole',
  jobFlowRole: 'EMR_EC2_DefaultRole',
  launchTimeoutMs: 60 * 60_000,
  maxAttempts: 10,
  retryMode: 'adaptive',
} as const;

/**
 * Validates the options and fills in defaults. Each slot of a pool of several clusters gets its own
 * name (`<name>-<index+1>`), so that reusing a running cluster by name never hands one EMR cluster
 * to two slots; a single cluster keeps the configured name.
 */
export function resolveEmrSettings(options: EmrClusterOptions & EmrExtraOptions, index: number): EmrSettings {
  const where = `cluster options { type: 'emr', ... }`;
  if (typeof options.name !== 'string' || options.name.trim() === '') {
    throw new TypeError(`${where} need a 'name': the base name of the EMR clusters this engine launches or reuses`);
  }
  if (typeof options.region !== 'string' || options.region.trim() === '') {
    throw new TypeError(`${where} need a 'region', e.g. 'us-east-1'`);
  }
  const positive = (key: string, value: unknown): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new TypeError(`${where}: '${key}' must be a positive number, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  const count = positive('count', options.count);
  const instanceCount = positive('instanceCount', options.instanceCount);
  const pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs);
  const launchTimeoutMs = positive('launchTimeoutMs', options.launchTimeoutMs);
  const maxAttempts = positive('maxAttempts', options.maxAttempts);
  if (options.retryMode !== undefined && options.retryMode !== 'standard' && options.retryMode !== 'adaptive') {
    throw new TypeError(`${where}: 'retryMode' must be 'standard' or 'adaptive', got ${JSON.stringify(options.retryMode)}`);
  }
  // The engine's default pool size is 2, so an absent count means a pool; a run may also ask for more
  // clusters than count (RunOptions.clusters), so any slot after the first is suffixed too.
  const pooled = (count ?? 2) > 1 || index > 0;
  const name = pooled ? `${options.name}-${index + 1}` : options.name;
  if (name.length > 256) throw new TypeError(`${where}: 'name' is too long for EMR (256 characters at most, suffix included)`);
  return {
    name,
    region: options.region,
    endpoint: options.endpoint,
    releaseLabel: options.releaseLabel ?? EMR_DEFAULTS.releaseLabel,
    instanceType: options.instanceType ?? EMR_DEFAULTS.instanceType,
    instanceCount: instanceCount ?? EMR_DEFAULTS.instanceCount,
    applications: options.applications ?? [...EMR_DEFAULTS.applications],
    keepAliveOnFailure: options.keepAliveOnFailure === true,
    pollIntervalMs: pollIntervalMs ?? EMR_DEFAULTS.pollIntervalMs,
    logUri: options.logUri,
    serviceRole: options.serviceRole ?? EMR_DEFAULTS.serviceRole,
    jobFlowRole: options.jobFlowRole ?? EMR_DEFAULTS.jobFlowRole,
    ec2SubnetId: options.ec2SubnetId,
    ec2KeyName: options.ec2KeyName,
    tags: { ...(options.tags ?? {}) },
    launchTimeoutMs: launchTimeoutMs ?? EMR_DEFAULTS.launchTimeoutMs,
    maxAttempts: maxAttempts ?? EMR_DEFAULTS.maxAttempts,
    retryMode: options.retryMode ?? EMR_DEFAULTS.retryMode,
    s3Endpoint: options.s3Endpoint,
    s3ForcePathStyle: options.s3ForcePathStyle ?? options.s3Endpoint !== undefined,
  };
}
