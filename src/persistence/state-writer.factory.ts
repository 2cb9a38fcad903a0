import type { DataSource, EntityManager } from 'typeorm';
import type { StateWriter } from '../domain/state-writer.port';
import { SqliteStateWriter } from './sqlite-state.writer';
import { isSqlite } from './transaction-runner';
import { TypeOrmStateWriter, type StateWriterOptions } from './typeorm-state.writer';

/** The StateWriter for the database `dataSource` is configured for: chosen once, at bootstrap. */
export function createStateWriter(dataSource: DataSource, options: StateWriterOptions): StateWriter<EntityManager> {
  return isSqlite(dataSource) ? new SqliteStateWriter(dataSource, options) : new TypeOrmStateWriter(dataSource, options);
}
