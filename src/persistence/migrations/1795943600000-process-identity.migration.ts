import type { MigrationInterface, QueryRunner } from 'typeorm';
import { qualifiedName } from '../history/attempt-ids';

const TABLES = ['flow_lease', 'schedule_claim'];
const COLUMNS = [
  ['instance_id', 'varchar(36)'],
  ['pid_namespace', 'varchar(64)'],
] as const;

/**
 * Who holds a lease or a claim, beyond host and pid (see ProcessIdentity): `instance_id`, random per
 * process, and `pid_namespace`, where its pid can be checked. Null on the rows already there, which
 * are then judged by their lease's expiry. A nullable column is added in place on both databases
 * (TypeORM's addColumn would copy a SQLite table).
 */
export class ProcessIdentity1795943600000 implements MigrationInterface {
  name = 'ProcessIdentity1795943600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Only the columns a table lacks: another engine upgrading the same SQLite file may have added
    // them since this one read which migrations were applied, as a synchronize would have.
    for (const table of TABLES) {
      for (const [column, type] of COLUMNS) {
        if (await queryRunner.hasColumn(table, column)) continue;
        await queryRunner.query(`ALTER TABLE ${qualifiedName(queryRunner.manager, table)} ADD COLUMN ${column} ${type}`);
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.dropColumn(table, 'pid_namespace');
      await queryRunner.dropColumn(table, 'instance_id');
    }
  }
}
