import type { DataSourceOptions } from 'typeorm';

/** `database` option of bootstrap(): TypeORM's connection options, minus what the engine owns. */
export type DatabaseOptions = Omit<DataSourceOptions, 'entities' | 'migrations' | 'subscribers'> & Record<string, unknown>;

export const DEFAULT_DATABASE_OPTIONS = { type: 'better-sqlite3', database: 'synergy-flow.db' } as const;
