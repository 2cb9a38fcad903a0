import type { EmrClusterOptions } from './emr/emr-options.schema';

/** `cluster` option of bootstrap(): which kind of cluster a flow run launches, and how many. */
export interface LocalClusterOptions {
  type: 'local';
  /** Nominal number of clusters = maximum steps in flight. Default 2. */
  count?: number;
  /** Working directory of commands. Default: the process's. */
  cwd?: string;
}

/** Derived from the schema that validates it (emr/emr-options.schema.ts); type-only: loads neither zod nor the AWS SDK. */
export type { EmrClusterOptions } from './emr/emr-options.schema';

export type ClusterOptions = LocalClusterOptions | EmrClusterOptions;

export const DEFAULT_CLUSTER_OPTIONS: LocalClusterOptions = { type: 'local', count: 2 };
