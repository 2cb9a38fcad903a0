import { DataSource, type DataSourceOptions } from 'typeorm';
import { FlowRecord } from './flow.entity';
import { StepRecord } from './step.entity';
import type { DatabaseOptions } from './database-options';

export const ENTITIES = [FlowRecord, StepRecord];

/**
 * Opens the database. SQLite gets WAL (readers never block the writer) and a busy timeout (a
 * second process waits for the lock instead of failing with SQLITE_BUSY).
 */
export async function createDataSource(options: DatabaseOptions): Promise<DataSource> {
  const base = { synchronize: true, logging: false, ...options, entities: ENTITIES } as DataSourceOptions;
  const finalOptions: DataSourceOptions =
    base.type === 'better-sqlite3' ? { enableWAL: base.database !== ':memory:', timeout: 10_000, ...base } : base;
  const dataSource = new DataSource(finalOptions);
  try {
    await dataSource.initialize();
  } catch (err) {
    throw new Error(`cannot open the ${String(options.type)} database${describeTarget(options)}: ${(err as Error).message}`);
  }
  return dataSource;
}

/** Names the database without credentials (a URL loses its password). */
function describeTarget(options: DatabaseOptions): string {
  const o = options as Record<string, unknown>;
  if (typeof o.database === 'string' && !o.url && !o.host) return ` '${o.database}'`;
  if (typeof o.url === 'string') {
    try {
      const url = new URL(o.url);
      url.password = '';
      url.username = url.username ? url.username : '';
      return ` at ${url.host}${url.pathname}`;
    } catch {
      return '';
    }
  }
  return o.host ? ` at ${String(o.host)}:${String(o.port ?? '')}` : '';
}
