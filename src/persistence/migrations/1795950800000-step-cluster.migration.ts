import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addNullableColumn } from './nullable-column';

/**
 * The cluster a step's attempt in flight runs on: `step.cluster`, written with the attempt's start.
 * An attempt's `step_attempt` row is inserted when it ends; one its engine never ended (killed, its
 * lease taken over) is read, then recorded, from its step row, which did not say the cluster: the
 * history showed `-`. Null on the rows already there.
 */
export class StepCluster1795950800000 implements MigrationInterface {
  name = 'StepCluster1795950800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await addNullableColumn(queryRunner, 'step', 'cluster', 'varchar(255)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('step', 'cluster');
  }
}
