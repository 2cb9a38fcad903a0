import type { DataSource, EntityManager } from 'typeorm';
import type { StateWriter } from '../domain/state-writer.port';
import { PostgresStateWriter } from './postgres-state.writer';
import { SqliteStateWriter } from './sqlite-state.writer';
import { isSqlite } from './transaction-runner';
import { TypeOrmStateWriter, type StateWriterOptions } from './typeorm-state.writer';

/** The StateWriter for the database `dataSource` is configured for: chosen once, at bootstrap. */
export function createStateWriter(dataSource: DataSource, options: StateWriterOptions): StateWriter<EntityManager> {
  if (isSqlite(dataSource)) return new SqliteStateWriter(dataSource, options);
  if (dataSource.options.type === 'postgres') return new PostgresStateWriter(dataSource, options);
  return new TypeOrmStateWriter(dataSource, options);
}
