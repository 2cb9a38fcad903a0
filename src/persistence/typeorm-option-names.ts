/**
 * The option names TypeORM 1.x knows for the drivers the engine supports, from its
 * `BaseDataSourceOptions`, `BetterSqlite3DataSourceOptions` and `PostgresDataSourceOptions`. The
 * database options pass to TypeORM as they are; these names only let a typo (`databse`) be caught
 * with a "did you mean" while an option this list does not know yet still passes.
 */
const BASE = [
  'type', 'entities', 'subscribers', 'isolationLevel', 'migrations', 'migrationsTableName', 'migrationsTransactionMode',
  'metadataTableName', 'namingStrategy', 'logging', 'logger', 'maxQueryExecutionTime', 'poolSize', 'synchronize',
  'migrationsRun', 'dropSchema', 'entityPrefix', 'entitySkipConstructor', 'extra', 'relationLoadStrategy', 'typename',
  'cache', 'isolateWhereStatements', 'invalidWhereValuesBehavior',
];

export const TYPEORM_OPTION_NAMES: Readonly<Record<'better-sqlite3' | 'postgres', readonly string[]>> = {
  'better-sqlite3': [
    ...BASE,
    'database', 'driver', 'key', 'statementCacheSize', 'prepareDatabase', 'readonly', 'fileMustExist', 'timeout', 'verbose',
    'nativeBinding', 'enableWAL',
  ],
  postgres: [
    ...BASE,
    'url', 'host', 'port', 'username', 'password', 'database', 'ssl', 'applicationName', 'schema', 'driver', 'nativeDriver',
    'useUTC', 'replication', 'connectTimeoutMS', 'uuidExtension', 'poolErrorHandler', 'logNotifications',
    'installExtensions', 'extensions', 'parseInt8',
  ],
};
