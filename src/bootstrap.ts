import 'reflect-metadata';
// Not the 'rxjs' index, which loads every operator: the engine, loaded with the database, needs them.
import { FlowEventHub } from './flow-event.hub';
import { SynergyFlowApp } from './application';
import type { BackendSettings } from './application-backend';
import type { BootstrapOptions } from './bootstrap-options';
import { checkBootstrapOptions } from './bootstrap-options.check';
import { validateClusterOptions } from './clusters/cluster-factory';
import { DEFAULT_CLUSTER_OPTIONS } from './clusters/cluster-defaults';
import { DEFAULT_HISTORY_KEEP_DAYS } from './persistence/history/history-retention.defaults';
import { DEFAULT_GRACE_PERIOD_MS } from './engine/grace-period';
import { disableAllocationSitePretenuring } from './engine/v8-pretenuring';
import { LogManager } from './logging/log-manager';
import { resolveLogOptions } from './logging/log-options';
import { assertLogDirectoryWritable } from './logging/log-directory';
import { createRedactor, secretValues } from './logging/redaction';
import { awsEnvironmentSecrets } from './config/aws-environment-secrets';
import { scanFlows } from './metadata/flow-scanner';
import { databaseSecrets } from './persistence/database-description';
import { databaseFromEnvironment, logDirectoryFromEnvironment } from './persistence/environment-defaults';
import { defaultLeaseOptions } from './persistence/lease/lease-defaults';

/**
 * Checks every option and scans the flows (every definition mistake is thrown here, before any
 * I/O), then returns the application in state `starting`. The database is not opened here: the
 * first call that needs it opens it (and loads TypeORM), or `await app.ready()` does at once.
 * Defaults: SQLite file, `logs/`, two local clusters; no signal handlers, V8 left alone.
 *
 * @param options the `@Flow` classes and, optionally, the database, log directory, cluster, settings...
 * @returns the application: its run modes, status, graph, events, CLI and viewer
 * @throws {@link ConfigurationError} for wrong options (every problem listed at once)
 * @throws {@link FlowDefinitionError} for a mistake in a flow's declaration (see its `kind`)
 * @throws {@link LogDirectoryError} when the log directory cannot be written
 * @example
 * ```ts
 * import 'reflect-metadata';
 * import { bootstrap } from 'synergy-flow';
 *
 * const app = await bootstrap({ flows: [DailyEtl], cluster: { type: 'local', count: 2 } });
 * await app.ready(); // optional: open the database now, to fail fast on a bad one (DatabaseSetupError)
 * const result = await app.run('daily_etl', { timeperiod: '2026112600' });
 * console.log(result.state); // 'processed'
 * await app.close();
 * ```
 */
export async function bootstrap(options: BootstrapOptions): Promise<SynergyFlowApp> {
  // Every option checked at once, before anything is opened; from here on `options` are the checked ones.
  const { lease = defaultLeaseOptions(), ...checked } = checkBootstrapOptions(options);
  options = checked;
  const definitions = scanFlows(options.flows);
  const gracePeriodMs = options.gracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS;
  const cluster = options.cluster ?? DEFAULT_CLUSTER_OPTIONS;
  validateClusterOptions(cluster);
  const credentials = options.credentials ?? {};
  const database = options.database ?? databaseFromEnvironment();
  // Everything secret the options hold: credentials, cluster keys, the database password (from the
  // environment too), and the AWS keys of the environment, which the SDK uses when no key is given;
  // and those an S3Filesystem or EmrCluster outside any application resolves in this process.
  const redact = createRedactor(
    [
      ...secretValues(credentials),
      ...secretValues((cluster as { credentials?: unknown }).credentials),
      ...databaseSecrets(database),
      ...awsEnvironmentSecrets(),
    ],
    { application: true },
  );
  // Process-wide, so only when asked (the CLI asks): see disableAllocationSitePretenuring.
  if (options.tuneV8) disableAllocationSitePretenuring();
  // Before the database: a run whose step logs cannot be written must not start, nor leave a trace.
  const logDirectory = options.logDirectory ?? logDirectoryFromEnvironment();
  assertLogDirectoryWritable(logDirectory);
  const logs = new LogManager(logDirectory, redact, resolveLogOptions(options.logs));
  const events = new FlowEventHub();
  const backend: BackendSettings = {
    database,
    lease,
    lock: options.lock,
    scope: {
      // tsyringe's root container, required when a run first needs it: `--help` and `list` never do.
      get container() {
        return checked.container ?? (require('tsyringe') as typeof import('tsyringe')).container;
      },
      logs,
      redact,
      learnSecrets: (secrets) => redact.learn(secrets),
      emit: (event) => events.next(event),
      gracePeriodMs,
    },
    cluster,
    settings: options.settings ?? {},
    credentials,
    keepHistoryDays: options.history?.keepDays ?? DEFAULT_HISTORY_KEEP_DAYS,
  };
  return SynergyFlowApp.create({
    definitions,
    logs,
    secrets: redact,
    events,
    database,
    // required when first needed, not imported: TypeORM, the database driver and the engine cost
    // hundreds of milliseconds to load, which `--help` or `list` of a database that does not exist never pay
    openBackend: (use) => (require('./application-backend') as typeof import('./application-backend')).openBackend(backend, use),
    gracePeriodMs,
    handleSignals: options.handleSignals ?? false,
  });
}
