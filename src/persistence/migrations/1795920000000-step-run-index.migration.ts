import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const OLD_INDEX = 'uq_step_flow_step_timeperiod';
const NEW_INDEX = 'uq_step_flow_timeperiod_step';

/**
 * The step table's unique index, reordered from (flow_name, step_name, timeperiod) to
 * (flow_name, timeperiod, step_name): the same rows are unique either way, but every read of a
 * run's steps asks for one [flow_name, timeperiod], which the old order could only answer by
 * walking every step row the flow ever had, and inserting a run's rows went in between the old
 * ones all over the index: both grew with every timeperiod (measured in docs/postgres.md).
 *
 * The new index is built before the old one goes, so uniqueness holds throughout. Building it
 * reads the whole table once: on PostgreSQL it blocks writes to `step` meanwhile, so migrate a
 * large database (`migrateDatabase`) while no engine runs.
 */
export class StepRunIndex1795920000000 implements MigrationInterface {
  name = 'StepRunIndex1795920000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = await queryRunner.getTable('step');
    const has = (name: string) => table?.indices.some((index) => index.name === name) ?? false;
    // A database that a `synchronize` of this release created has the new index already.
    if (!has(NEW_INDEX)) {
      await queryRunner.createIndex(
        'step',
        new TableIndex({ name: NEW_INDEX, columnNames: ['flow_name', 'timeperiod', 'step_name'], isUnique: true }),
      );
    }
    if (has(OLD_INDEX)) await queryRunner.dropIndex('step', OLD_INDEX);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'step',
      new TableIndex({ name: OLD_INDEX, columnNames: ['flow_name', 'step_name', 'timeperiod'], isUnique: true }),
    );
    await queryRunner.dropIndex('step', NEW_INDEX);
  }
}
