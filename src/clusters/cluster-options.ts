import { z } from 'zod';
import { describeInput, wholeNumber } from '../config/whole-number.schema';
// zod only: the EMR options' schema loads no AWS SDK, so a local user pays nothing for it.
import { emrClusterOptionsSchema, type EmrClusterOptions } from './emr/emr-options.schema';
import { MAX_CLUSTER_COUNT } from './cluster-defaults';

export { DEFAULT_CLUSTER_OPTIONS, MAX_CLUSTER_COUNT } from './cluster-defaults';

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

/** `cluster` option of bootstrap(): which kind of cluster a flow run launches, and how many. */
export const clusterOptionsSchema = z.discriminatedUnion('type', [localClusterOptionsSchema, emrClusterOptionsSchema], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `unsupported cluster type ${describeInput((issue.input as { type?: unknown } | undefined)?.type)}: use { type: 'local', count } or { type: 'emr', name, region, ... }`
      : undefined,
});

/** `cluster` option of bootstrap(): which kind of cluster a flow run launches, and how many. */
export type LocalClusterOptions = z.input<typeof localClusterOptionsSchema>;

/** Derived from the schema that validates it (emr/emr-options.schema.ts). */
export type { EmrClusterOptions } from './emr/emr-options.schema';

/** `bootstrap({ cluster })`: the local machine (the default, two clusters) or AWS EMR clusters. */
export type ClusterOptions = LocalClusterOptions | EmrClusterOptions;
