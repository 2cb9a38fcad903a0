import { z } from 'zod';
import { describeInput, wholeNumber } from '../config/whole-number.schema';

/**
 * The most clusters a run may ask for: each is a process slot (local) or an EMR cluster, and the
 * engine holds them all at once, so a typo (`-c 30000000`) must fail before the run starts.
 */
export const MAX_CLUSTER_COUNT = 1000;

/** Nominal number of clusters = maximum steps in flight. */
export const clusterCountSchema = wholeNumber(1, MAX_CLUSTER_COUNT);

/** `cluster: { type: 'local' }`: steps run as child processes of this machine. */
export const localClusterOptionsSchema = z.strictObject({
  type: z.literal('local'),
  /** Nominal number of clusters = maximum steps in flight. Default 2. */
  count: clusterCountSchema.optional(),
  /** Working directory of commands. Default: the process's. */
  cwd: z.string().min(1).optional(),
});

/**
 * `cluster: { type: 'emr', ... }`: where the EMR options' own schema plugs in (it must load no AWS
 * SDK). Until it does, this checks the shared `count` and lets the rest through to the EMR
 * settings' own checks (resolveEmrSettings).
 */
export const emrClusterOptionsSchema = z.looseObject({
  type: z.literal('emr'),
  count: clusterCountSchema.optional(),
});

/** `cluster` option of bootstrap(): which kind of cluster a flow run launches, and how many. */
export const clusterOptionsSchema = z.discriminatedUnion('type', [localClusterOptionsSchema, emrClusterOptionsSchema], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `unsupported cluster type ${describeInput((issue.input as { type?: unknown } | undefined)?.type)}: use { type: 'local', count } or { type: 'emr', name, region, ... }`
      : undefined,
});

/** `cluster` option of bootstrap(): which kind of cluster a flow run launches, and how many. */
export type LocalClusterOptions = z.input<typeof localClusterOptionsSchema>;

export interface EmrClusterOptions {
  type: 'emr';
  count?: number;
  /** Base name of the EMR clusters; an engine reuses a running cluster with this name. */
  name: string;
  region: string;
  /** Passed straight to the SDK client (e.g. a local endpoint in tests). */
  endpoint?: string;
  /** Passed straight to the SDK client; the SDK's default provider chain when absent. Never logged. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  releaseLabel?: string;
  instanceType?: string;
  instanceCount?: number;
  applications?: string[];
  /** Keep a cluster whose flow failed, for debugging (its id is logged). */
  keepAliveOnFailure?: boolean;
  pollIntervalMs?: number;
  [option: string]: unknown;
}

export type ClusterOptions = LocalClusterOptions | EmrClusterOptions;

export const DEFAULT_CLUSTER_OPTIONS: LocalClusterOptions = { type: 'local', count: 2 };
