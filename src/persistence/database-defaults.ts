/** A SQLite file in the current folder. Apart from the schema (database-options.ts): it loads zod, which `--help` does not need. */
export const DEFAULT_DATABASE_OPTIONS = { type: 'better-sqlite3', database: 'synergy-flow.db' } as const;
