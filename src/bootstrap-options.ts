import type { DependencyContainer } from 'tsyringe';
import type { Type } from '../decorators/types';
import type { ClusterOptions } from './clusters/cluster-options';
import type { FlowLock } from './engine/flow-lock';
import type { DatabaseOptions } from './persistence/database-options';

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
  /** Who may run a [flow, timeperiod]; default: a lock inside this process. */
  lock?: FlowLock;
}
