import type { DependencyContainer } from 'tsyringe';
import type { Type } from '../decorators/types';
import type { ClusterOptions } from './clusters/cluster-options';
import type { FlowLock } from './engine/flow-lock';
import type { DatabaseOptions } from './persistence/database-options';
import type { LeaseOptions } from './persistence/lease/lease-options';

export interface BootstrapOptions {
  /** The @Flow classes this application runs. */
  flows: Type[];
  /** TypeORM connection options. Default: SQLite file `synergy-flow.db` (WAL). */
  database?: DatabaseOptions;
  /** Default `logs`. */
  logDirectory?: string;
  /** Default `{ type: 'local', count: 2 }`. */
  cluster?: ClusterOptions;
  /** Free-form, reaches every StepContext as `ctx.settings`. */
  settings?: Record<string, unknown>;
  /** Secrets the steps need (`ctx.credentials`); never logged, serialised or persisted. */
  credentials?: Record<string, unknown>;
  /** Parent of every step execution's child container; default tsyringe's root container. */
  container?: DependencyContainer;
  /**
   * How long aborted work (a timed-out or cancelled action, its rollback and cleanup) gets to wind
   * down, and what SIGINT/SIGTERM wait for. Default 5000.
   */
  gracePeriodMs?: number;
  /** Default true: while a run is in flight, SIGINT/SIGTERM stop it gracefully and exit 130/143. */
  handleSignals?: boolean;
  /** Who may run a [flow, timeperiod]; default: a lease row in the database, safe across processes and machines. */
  lock?: FlowLock;
  /** The default lock's lease: `{ ttlMs = 30000, heartbeatMs = ttlMs / 3 }`. */
  lease?: LeaseOptions;
}
