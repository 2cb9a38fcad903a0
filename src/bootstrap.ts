import 'reflect-metadata';
import { Subject } from 'rxjs';
import { container as rootContainer } from 'tsyringe';
import { SynergyFlowApp } from './application';
import type { BootstrapOptions } from './bootstrap-options';
import { validateClusterOptions } from './clusters/cluster-factory';
import { DEFAULT_CLUSTER_OPTIONS } from './clusters/cluster-options';
import { ExecutionEngine } from './engine/execution-engine';
import type { FlowEvent } from './engine/flow-event';
import { DEFAULT_GRACE_PERIOD_MS } from './engine/grace-period';
import { disableAllocationSitePretenuring } from './engine/v8-pretenuring';
import { LogManager } from './logging/log-manager';
import { createRedactor, secretValues } from './logging/redaction';
import { scanFlows } from './metadata/flow-scanner';
import { createDataSource, databaseSecrets } from './persistence/data-source.factory';
import { DEFAULT_DATABASE_OPTIONS } from './persistence/database-options';
import { StateStore } from './persistence/state-store';
import { DatabaseFlowLock } from './persistence/lease/database-flow-lock';
import { resolveLeaseOptions } from './persistence/lease/lease-options';

/**
 * Scans and validates the flows (every definition mistake is thrown here, before any I/O), opens
 * the database and returns the application. Defaults: SQLite file, `logs/`, two local clusters.
 */
export async function bootstrap(options: BootstrapOptions): Promise<SynergyFlowApp> {
  if (!options || !Array.isArray(options.flows)) {
    throw new TypeError('bootstrap needs { flows: [YourFlowClass, ...] }');
  }
  const definitions = scanFlows(options.flows);
  const gracePeriodMs = options.gracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS;
  if (typeof gracePeriodMs !== 'number' || !Number.isFinite(gracePeriodMs) || gracePeriodMs < 0) {
    throw new TypeError(`gracePeriodMs must be a number of milliseconds >= 0, got ${String(gracePeriodMs)}`);
  }
  const lease = resolveLeaseOptions(options.lease);
  const cluster = options.cluster ?? DEFAULT_CLUSTER_OPTIONS;
  validateClusterOptions(cluster);
  const credentials = options.credentials ?? {};
  // Everything secret the options hold: credentials, cluster keys, the database password.
  const redact = createRedactor([
    ...secretValues(credentials),
    ...secretValues((cluster as { credentials?: unknown }).credentials),
    ...databaseSecrets(options.database),
  ]);
  // Before any run: see disableAllocationSitePretenuring for the memory it saves a long-lived process.
  disableAllocationSitePretenuring();
  const dataSource = await createDataSource(options.database ?? DEFAULT_DATABASE_OPTIONS);
  // A state write waits through a database outage as long as the lease outlives it.
  const store = new StateStore(dataSource, { outageMs: lease.ttlMs });
  const logs = new LogManager(options.logDirectory ?? 'logs', redact);
  const events = new Subject<FlowEvent>();
  const engine = new ExecutionEngine({
    store,
    lock: options.lock ?? new DatabaseFlowLock(store, lease),
    scope: { container: options.container ?? rootContainer, logs, redact, emit: (event) => events.next(event), gracePeriodMs },
    cluster,
    settings: options.settings ?? {},
    credentials,
  });
  return new SynergyFlowApp(definitions, engine, store, dataSource, logs, events, { gracePeriodMs, handleSignals: options.handleSignals ?? true });
}
