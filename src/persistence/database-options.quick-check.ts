import { MAX_TIMER_MS } from '../config/max-timer-ms';
import { isBoolean, isNonEmptyString, isOneOf, isStrictObject, isString, isWholeNumber, type QuickCheck } from '../config/quick-check';

// The options of both drivers that database-options.ts checks itself.
const common = {
  migrationsRun: isBoolean,
  migrationsTableName: isNonEmptyString,
  poolSize: isWholeNumber(1, 10_000),
};

/** A password as the schema takes it: text, or a function the driver calls for it. */
const isPassword: QuickCheck = (value) => typeof value === 'string' || typeof value === 'function';

/**
 * `database` options that database-options.ts's schema certainly accepts as they are, told without
 * loading zod (config/quick-check.ts): a SQLite file or a PostgreSQL connection with only the fields
 * the engine checks. Loading the schema costs ~15 MiB of a process's memory and tens of milliseconds
 * of its start, and nearly every program that passes `database` passes one of these. Any other key
 * (TypeORM's `logging`, `extra`, `ssl`...) goes to the schema, which also catches a typo in it.
 */
export const certainDatabaseOptions: QuickCheck = (value) => certainSqlite(value) || certainPostgres(value);

const certainSqlite = isStrictObject(
  {
    type: isOneOf('better-sqlite3'),
    database: isNonEmptyString,
    timeout: isWholeNumber(0, MAX_TIMER_MS),
    enableWAL: isBoolean,
    ...common,
  },
  ['type', 'database'],
);

const certainPostgres = isStrictObject(
  {
    type: isOneOf('postgres'),
    url: isString,
    host: isNonEmptyString,
    port: isWholeNumber(1, 65_535),
    username: isString,
    password: isPassword,
    database: isNonEmptyString,
    schema: isNonEmptyString,
    connectTimeoutMS: isWholeNumber(0, MAX_TIMER_MS),
    ...common,
  },
  ['type'],
);
