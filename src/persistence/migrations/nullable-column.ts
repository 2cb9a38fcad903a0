import type { QueryRunner } from 'typeorm';
import { qualifiedName } from '../history/attempt-ids';

/**
 * Adds a nullable column in place, on both databases (TypeORM's addColumn would copy a SQLite
 * table), unless the table has it: another engine upgrading the same SQLite file may have added it
 * since this one read which migrations were applied, as a synchronize would have.
 */
export async function addNullableColumn(queryRunner: QueryRunner, table: string, column: string, type: string): Promise<void> {
  if (await queryRunner.hasColumn(table, column)) return;
  await queryRunner.query(`ALTER TABLE ${qualifiedName(queryRunner.manager, table)} ADD COLUMN ${column} ${type}`);
}
