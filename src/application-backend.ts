import type { DataSource } from 'typeorm';
import type { ClusterOptions } from './clusters/cluster-options';
import { ExecutionEngine } from './engine/execution-engine';
import type { FlowLock } from './domain/flow-lock.port';
import type { StepRunScope } from './engine/step-run-scope';
import { createDataSource } from './persistence/data-source.factory';
import { boundStalledTransactions } from './persistence/stalled-transaction.bound';
import { withApplicationName, type ConnectionRole } from './persistence/application-name';
import { renameConnections } from './persistence/connection-rename';
import type { DatabaseOptions } from './persistence/database-options';
import { DatabaseFlowLock } from './persistence/lease/database-flow-lock';
import type { ResolvedLeaseOptions } from './persistence/lease/lease-options';
import { StateStore } from './persistence/state-store';
import { createStateWriter } from './persistence/state-writer.factory';
import { RunHistoryReader } from './persistence/history/run-history.reader';
import { HistoryRetention } from './persistence/history/history-retention';

/** What an application holds once its database is open: the connection, the state store and the engine on them. */
export interface ApplicationBackend {
  dataSource: DataSource;
  store: StateStore;
  engine: ExecutionEngine;
  /** Reads run history (`app.history()`). */
  history: RunHistoryReader;
  /** Deletes history older than `history.keepDays`, in the background; stopped before the database closes. */
  retention: HistoryRetention;
  /** Names its PostgreSQL connections for a front end asked for after the database opened (see renameConnections). */
  rename(role: ConnectionRole): Promise<void>;
}

/** The checked options the backend is built from (bootstrap() filled every default). */
export interface BackendSettings {
  database: DatabaseOptions;
  lease: ResolvedLeaseOptions;
  lock: FlowLock | undefined;
  scope: StepRunScope;
  cluster: ClusterOptions;
  settings: Readonly<Record<string, unknown>>;
  credentials: Readonly<Record<string, unknown>>;
  /** bootstrap's `history.keepDays`. */
  keepHistoryDays: number;
}

/** What the backend's connections are opened for: the application's first use of a front end (see SynergyFlowApp). */
export interface BackendUse {
  role: ConnectionRole;
}

/**
 * Opens the database (migrating it unless `migrationsRun: false`) and builds the engine on it.
 * This module loads TypeORM and the engine: the application requires it only when a call needs
 * the database, so that `--help`, `list` of a database that does not exist, or `graph`, never pay for it.
 */
export async function openBackend(settings: BackendSettings, use: BackendUse): Promise<ApplicationBackend> {
  const dataSource = await createDataSource(
    withApplicationName(boundStalledTransactions(settings.database, settings.lease.ttlMs), use.role),
  );
  // A state write waits through a database outage as long as the lease outlives it.
  const store = new StateStore(dataSource, createStateWriter(dataSource, { outageMs: settings.lease.ttlMs }));
  const engine = new ExecutionEngine({
    store,
    lock: settings.lock ?? new DatabaseFlowLock(store, settings.lease),
    scope: settings.scope,
    cluster: settings.cluster,
    settings: settings.settings,
    credentials: settings.credentials,
  });
  const retention = new HistoryRetention(dataSource, store, settings.keepHistoryDays);
  retention.start();
  return {
    dataSource,
    store,
    engine,
    history: new RunHistoryReader(dataSource),
    retention,
    rename: (role) => renameConnections(dataSource, role),
  };
}
