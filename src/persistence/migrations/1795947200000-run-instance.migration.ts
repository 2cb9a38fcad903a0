import type { MigrationInterface, QueryRunner } from 'typeorm';
import { qualifiedName } from '../history/attempt-ids';

/**
 * Which process ran each run, beyond host and pid: `flow_run.instance_id`, the engine's instance id
 * (ProcessIdentity), the one FlowLockedError and the lease logs name. Null on the runs already there.
 * A nullable column is added in place on both databases (TypeORM's addColumn would copy a SQLite table).
 */
export class RunInstance1795947200000 implements MigrationInterface {
  name = 'RunInstance1795947200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Only if missing: another engine upgrading the same SQLite file may have added it since this
    // one read which migrations were applied, as a synchronize would have.
    if (await queryRunner.hasColumn('flow_run', 'instance_id')) return;
    await queryRunner.query(`ALTER TABLE ${qualifiedName(queryRunner.manager, 'flow_run')} ADD COLUMN instance_id varchar(36)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('flow_run', 'instance_id');
  }
}
