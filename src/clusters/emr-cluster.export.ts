import type { EmrCluster as EmrClusterClass } from './emr/emr-cluster';

/** The class itself, once something needed it (a construction, a static member). */
let loaded: typeof EmrClusterClass | undefined;

function load(): typeof EmrClusterClass {
  // Required here, not imported above: `import { EmrCluster } from 'synergy-flow'` must not load the AWS SDK.
  return (loaded ??= (require('./emr/emr-cluster') as typeof import('./emr/emr-cluster')).EmrCluster);
}

/**
 * The cluster of `cluster: { type: 'emr', ... }` (docs/emr.md). A flow's clusters are the engine's:
 * a user declares them through the options. This class is for EMR work outside a flow (a script, a
 * test): `new EmrCluster(options, { index, flowName, timeperiod })`, then `launch()`, its steps
 * (`runSparkStep`...), `clusterId` and its S3 `filesystem`, and `terminate()`.
 *
 * It stands for the class without loading it: the AWS SDK loads when the first one is constructed,
 * and `instanceof EmrCluster` on another cluster loads nothing (no EmrCluster exists before then).
 *
 * @example
 * ```ts
 * const cluster = new EmrCluster({ type: 'emr', name: 'adhoc', region: 'us-east-1', count: 1 }, { index: 0, flowName: 'adhoc', timeperiod: '2026112600' });
 * try {
 *   await cluster.launch();
 *   await cluster.runSparkStep('s3://code/backfill.py', { args: ['--day', '2026-11-26'] });
 * } finally {
 *   await cluster.terminate();
 * }
 * ```
 */
export const EmrCluster: typeof EmrClusterClass = new Proxy(function EmrCluster() {} as unknown as typeof EmrClusterClass, {
  construct: (_target, args: ConstructorParameters<typeof EmrClusterClass>, newTarget) =>
    Reflect.construct(load(), args, newTarget === EmrCluster ? load() : newTarget) as object,
  get: (_target, key) => {
    if (key === Symbol.hasInstance) return (value: unknown) => loaded !== undefined && value instanceof loaded;
    return Reflect.get(load(), key) as unknown;
  },
});

/** An EMR cluster of the engine's pool: see {@link EmrCluster}. */
export type EmrCluster = EmrClusterClass;
