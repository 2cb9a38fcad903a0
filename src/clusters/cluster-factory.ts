import type { Cluster } from './cluster';
import type { ClusterOptions } from './cluster-options';
import { LocalCluster } from './local-cluster';
import type { Logger } from '../logging/logger';
import type { Redactor } from '../logging/redaction';

/** What a cluster may want to know about the run it serves (EMR tags its clusters with it). */
export interface ClusterScope {
  index: number;
  flowName: string;
  timeperiod: string;
  logger: Logger;
  /** The application's known secrets: a cluster that shortens a text (EMR's step name) masks them first. */
  redact: Redactor;
  /** Tells the application's redactor secrets the cluster comes to know: the credentials its SDK clients resolved. */
  learnSecrets?: (secrets: readonly string[]) => void;
}

/**
 * The `count` clusters of one flow run's pool. EMR slots share one ListClusters scan of the
 * account (they each pick their own name from it) instead of each paging through every cluster.
 */
export function createClusters(options: ClusterOptions, count: number, scope: Omit<ClusterScope, 'index'>): Cluster[] {
  if (options.type !== 'emr') return Array.from({ length: count }, (_, index) => createCluster(options, { ...scope, index }));
  // Required here, not imported above: the AWS SDK loads only when an EMR cluster is configured.
  const { EmrCluster, EmrClusterScan } = require('./emr') as typeof import('./emr');
  const scan = new EmrClusterScan();
  return Array.from({ length: count }, (_, index) => new EmrCluster(options, { ...scope, index, scan }));
}

export function createCluster(options: ClusterOptions, scope: ClusterScope): Cluster {
  switch (options.type) {
    case 'local':
      return new LocalCluster(`local-${scope.index + 1}`, { cwd: options.cwd });
    case 'emr': {
      // Required here, not imported above: the AWS SDK loads only when an EMR cluster is configured.
      const { EmrCluster } = require('./emr') as typeof import('./emr');
      return new EmrCluster(options, scope);
    }
    default:
      throw new TypeError(
        `cluster type '${(options as { type: string }).type}' is not supported: use { type: 'local' } or { type: 'emr', ... }`,
      );
  }
}

/**
 * Checks what the cluster options' schema leaves to the cluster kind, at bootstrap, before anything
 * is written: a mistake there would otherwise surface only when a run has already set up its rows.
 */
export function validateClusterOptions(options: ClusterOptions): void {
  if (options.type === 'emr') {
    // emr-settings holds only type imports of the SDK: this check does not load it.
    const { resolveEmrSettings } = require('./emr/emr-settings') as typeof import('./emr/emr-settings');
    resolveEmrSettings(options, 0);
  }
}
