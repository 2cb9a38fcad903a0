/** `cluster` option of bootstrap(): which kind of cluster a flow run launches, and how many. */
export interface LocalClusterOptions {
  type: 'local';
  /** Nominal number of clusters = maximum steps in flight. Default 2. */
  count?: number;
  /** Working directory of commands. Default: the process's. */
  cwd?: string;
}

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

/**
 * The most clusters a run may ask for: each is a process slot (local) or an EMR cluster, and the
 * engine holds them all at once, so a typo (`-c 30000000`) must fail before the run starts.
 */
export const MAX_CLUSTER_COUNT = 1000;

export const DEFAULT_CLUSTER_OPTIONS: LocalClusterOptions = { type: 'local', count: 2 };
