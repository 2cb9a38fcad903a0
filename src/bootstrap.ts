import 'reflect-metadata';
import { Subject } from 'rxjs';
import { container as rootContainer } from 'tsyringe';
import { SynergyFlowApp } from './application';
import { bootstrapOptionsSchema, type BootstrapOptions } from './bootstrap-options';
import { validateClusterOptions } from './clusters/cluster-factory';
import { DEFAULT_CLUSTER_OPTIONS } from './clusters/cluster-options';
import { parseOptions } from './config/parse-options';
import { ExecutionEngine } from './engine/execution-engine';
import type { FlowEvent } from './engine/flow-event';
import { DEFAULT_GRACE_PERIOD_MS } from './engine/grace-period';
import { disableAllocationSitePretenuring } from './engine/v8-pretenuring';
import { LogManager } from './logging/log-manager';
import { assertLogDirectoryWritable } from './logging/log-directory';
import { createRedactor, secretValues } from './logging/redaction';
import { scanFlows } from './metadata/flow-scanner';
import { createDataSource, databaseSecrets } from './persistence/data-source.factory';
import { databaseFromEnvironment, logDirectoryFromEnvironment } from './persistence/environment-defaults';
import { StateStore } from './persistence/state-store';
import { DatabaseFlowLock } from './persistence/lease/database-flow-lock';
import { resolveLeaseOptions } from './persistence/lease/lease-options';

/**
 * Scans and validates the flows (every definition mistake is thrown here, before any I/O), opens
 * the database and returns the application. Defaults: SQLite file, `logs/`, two local clusters.
 *
 * @param options the `@Flow` classes and, optionally, the database, log directory, cluster, settings...
 * @returns the application: its run modes, status, graph, events, CLI and viewer
 * @throws {@link ConfigurationError} for wrong options (every problem listed at once)
 * @throws {@link FlowDefinitionError} for a mistake in a flow's declaration (see its `kind`)
 * @throws {@link LogDirectoryError} when the log directory cannot be written
 * @throws {@link DatabaseSetupError} when the database cannot be opened or migrated
 * @example
 * ```ts
 * import 'reflect-metadata';
 * import { bootstrap } from 'synergy-flow';
 *
 * const app = await bootstrap({ flows: [DailyEtl], cluster: { type: 'local', count: 2 } });
 * const result = await app.run('daily_etl', { timeperiod: '2026112600' });
 * console.log(result.state); // 'processed'
 * await app.close();
 * ```
 */
export async function bootstrap(options: BootstrapOptions): Promise<SynergyFlowApp> {
  // Every option checked at once, before anything is opened; from here on `options` are the checked ones.
  const { lease = resolveLeaseOptions(), ...checked } = parseOptions(bootstrapOptionsSchema, options, 'bootstrap() options');
  options = checked;
  const definitions = scanFlows(options.flows);
  const gracePeriodMs = options.gracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS;
  const cluster = options.cluster ?? DEFAULT_CLUSTER_OPTIONS;
  validateClusterOptions(cluster);
  const credentials = options.credentials ?? {};
  const database = options.database ?? databaseFromEnvironment();
  // Everything secret the options hold: credentials, cluster keys, the database password (from the environment too).
  const redact = createRedactor([
    ...secretValues(credentials),
    ...secretValues((cluster as { credentials?: unknown }).credentials),
    ...databaseSecrets(database),
  ]);
  // Before any run: see disableAllocationSitePretenuring for the memory it saves a long-lived process.
  disableAllocationSitePretenuring();
  // Before the database: a run whose step logs cannot be written must not start, nor leave a trace.
  const logDirectory = options.logDirectory ?? logDirectoryFromEnvironment();
  assertLogDirectoryWritable(logDirectory);
  const dataSource = await createDataSource(database);
  // A state write waits through a database outage as long as the lease outlives it.
  const store = new StateStore(dataSource, { outageMs: lease.ttlMs });
  const logs = new LogManager(logDirectory, redact);
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
