import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import type { Type } from '../decorators/types';
import { clusterOptionsSchema, type ClusterOptions } from './clusters/cluster-options';
import { timerMs } from './config/whole-number.schema';
import type { FlowLock } from './domain/flow-lock.port';
import { databaseOptionsSchema, type DatabaseOptions } from './persistence/database-options';
import { leaseOptionsSchema } from './persistence/lease/lease-options';
import { logOptionsSchema } from './logging/log-options.schema';
import { historyRetentionSchema } from './persistence/history/history-retention.options';

/** An object the steps receive as it is (the same instance, not a copy); its values are not checked, nor shown. */
const objectPassedAsIs = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  {
    error: 'must be an object',
  },
);

/**
 * What `bootstrap()` accepts: every option checked at once, before anything is opened or written
 * (one ConfigurationError listing every problem). A new option needs its line here, or it is
 * refused as unknown.
 */
export const bootstrapOptionsSchema = z.strictObject(
  {
    /** The `@Flow` classes this application runs. */
    flows: z.array(z.custom<Type>(), { error: 'must be a list of @Flow classes, e.g. flows: [DailyEtl]' }),
    /** TypeORM connection options. Default: SQLite file `synergy-flow.db` (WAL). */
    database: (databaseOptionsSchema as unknown as z.ZodType<DatabaseOptions, DatabaseOptions>).optional(),
    /** Default `logs`. */
    logDirectory: z.string({ error: 'must be a directory path' }).min(1, 'must be a directory path').optional(),
    /** The log files' `format` (`'text'` or `'json'`) and rotation (`maxFileBytes`, default 2 MiB; `keepFiles`, default 10). */
    logs: logOptionsSchema.optional(),
    /** Default `{ type: 'local', count: 2 }`. */
    cluster: (clusterOptionsSchema as unknown as z.ZodType<ClusterOptions, ClusterOptions>).optional(),
    /** Free-form, reaches every StepContext as `ctx.settings`. */
    settings: objectPassedAsIs.optional(),
    /** Secrets the steps need (`ctx.credentials`); never logged, serialised or persisted. */
    credentials: objectPassedAsIs.optional(),
    /** Parent of every step execution's child container; default tsyringe's root container. */
    container: z
      .custom<DependencyContainer>((v) => typeof (v as DependencyContainer | null)?.createChildContainer === 'function', {
        error: "must be a tsyringe DependencyContainer (tsyringe's `container`, or a child of it)",
      })
      .optional(),
    /**
     * How long aborted work (a timed-out or cancelled action, its rollback and cleanup) gets to wind
     * down, and what SIGINT/SIGTERM wait for. Default 5000.
     */
    gracePeriodMs: timerMs(0).optional(),
    /**
     * Default false (the process is the embedding application's): with true, while a run is in
     * flight, SIGINT/SIGTERM stop it gracefully and exit the process 130/143, and an uncaught exception or
     * unhandled rejection (printed redacted) does the same with exit code 1. `app.cli()` turns it on.
     */
    handleSignals: z.boolean({ error: 'must be true or false' }).optional(),
    /** Default false: with true, V8's allocation-site pretenuring is turned off for the whole process (src/engine/v8-pretenuring.ts); `app.cli()` turns it on. */
    tuneV8: z.boolean({ error: 'must be true or false' }).optional(),
    /** Who may run a [flow, timeperiod]; default: a lease row in the database, safe across processes and machines. */
    lock: z
      .custom<FlowLock>((v) => typeof (v as FlowLock | null)?.acquire === 'function', {
        error: 'must be a FlowLock: an object with acquire(flowName, timeperiod)',
      })
      .optional(),
    /** The default lock's lease: `{ ttlMs = 30000, heartbeatMs = ttlMs / 3 }`. */
    lease: leaseOptionsSchema.optional(),
    /** Run history (`app.history()`): `{ keepDays = 90 }`, how long a finished run's rows are kept. */
    history: historyRetentionSchema.optional(),
  },
  {
    error: (issue) => (issue.code === 'invalid_type' ? 'bootstrap needs an object: bootstrap({ flows: [YourFlowClass, ...] })' : undefined),
  },
);

/** What users write in `bootstrap({ ... })`. */
export type BootstrapOptions = z.input<typeof bootstrapOptionsSchema>;
