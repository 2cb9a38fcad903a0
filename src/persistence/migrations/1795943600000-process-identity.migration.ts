import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['flow_lease', 'schedule_claim'];

/**
 * Who holds a lease or a claim, beyond host and pid (see ProcessIdentity): `instance_id`, random per
 * process, and `pid_namespace`, where its pid can be checked. Null on the rows already there, which
 * are then judged by their lease's expiry. A nullable column is added in place on both databases
 * (TypeORM's addColumn would copy a SQLite table).
 */
export class ProcessIdentity1795943600000 implements MigrationInterface {
  name = 'ProcessIdentity1795943600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      const name = tableName(queryRunner, table);
      await queryRunner.query(`ALTER TABLE ${name} ADD COLUMN instance_id varchar(36)`);
      await queryRunner.query(`ALTER TABLE ${name} ADD COLUMN pid_namespace varchar(64)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.dropColumn(table, 'pid_namespace');
      await queryRunner.dropColumn(table, 'instance_id');
    }
  }
}

/** The table's name as SQL, schema-qualified when the options name a PostgreSQL schema. */
function tableName(queryRunner: QueryRunner, table: string): string {
  const { driver } = queryRunner.connection;
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return schema ? `${driver.escape(schema)}.${driver.escape(table)}` : driver.escape(table);
}
