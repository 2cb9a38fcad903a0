import { randomBytes } from 'node:crypto';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseOptions } from './database-options';

export interface FreshSchema {
  options: DatabaseOptions;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/**
 * For test harnesses sharing one PostgreSQL database: options pointed at a new schema of their own
 * (the migrations create it), so each harness starts empty as with in-memory SQLite. Other
 * databases, and options that name a schema already, are returned as they are.
 */
export function freshSchema(options: DatabaseOptions): FreshSchema {
  if (options.type !== 'postgres' || options.schema) return { options, drop: async () => undefined };
  const schema = `synergy_test_${randomBytes(6).toString('hex')}`;
  return { options: { ...options, schema }, drop: () => dropSchema(options, schema) };
}

async function dropSchema(options: DatabaseOptions, schema: string): Promise<void> {
  const dataSource = new DataSource({
    ...options,
    entities: [],
    migrations: [],
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as DataSourceOptions);
  await dataSource.initialize();
  try {
    await dataSource.query(`DROP SCHEMA IF EXISTS ${dataSource.driver.escape(schema)} CASCADE`);
  } finally {
    await dataSource.destroy();
  }
}
