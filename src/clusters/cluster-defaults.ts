/**
 * The most clusters a run may ask for: each is a process slot (local) or an EMR cluster, and the
 * engine holds them all at once, so a typo (`-c 30000000`) must fail before the run starts.
 */
export const MAX_CLUSTER_COUNT = 1000;

/** Two local clusters. Apart from the schemas (cluster-options.ts): those load zod, which `--help` does not need. */
export const DEFAULT_CLUSTER_OPTIONS = { type: 'local' as const, count: 2 };
