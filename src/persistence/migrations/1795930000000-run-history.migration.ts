import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { qualifiedName, RUN_NUMBER_SEQUENCE } from '../history/attempt-ids';

/**
 * The run history tables `flow_run` and `step_attempt` (FlowRunEntity, StepAttemptEntity), and the
 * `step` rows' `run_id` (the run of the attempt a row shows; null on existing rows). The `flow` and
 * `step` rows of an existing database keep their values, and its runs recover as before (their
 * next run is the first one history lists).
 */
export class RunHistory1795930000000 implements MigrationInterface {
  name = 'RunHistory1795930000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // `datetime` on SQLite, `timestamp without time zone` on PostgreSQL: what the entities' `type: Date` maps to.
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    const postgres = queryRunner.connection.options.type === 'postgres';
    const times = [
      { name: 'started_at', type: timestamp },
      { name: 'finished_at', type: timestamp, isNullable: true },
    ];
    await queryRunner.createTable(
      new Table({
        name: 'flow_run',
        columns: [
          { name: 'id', type: 'varchar', length: '32', isPrimary: true },
          { name: 'flow_name', type: 'varchar', length: '255' },
          { name: 'timeperiod', type: 'varchar', length: '10' },
          { name: 'run_mode', type: 'varchar', length: '16' },
          { name: 'step_name', type: 'varchar', length: '255', isNullable: true },
          { name: 'trigger', type: 'varchar', length: '16' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'host', type: 'varchar', length: '255' },
          { name: 'pid', type: 'integer' },
          ...times,
          { name: 'error', type: 'text', isNullable: true },
          // Opens the range of the run's attempt ids (history/attempt-ids.ts).
          { name: 'run_number', type: 'bigint' },
        ],
        indices: [
          new TableIndex({ name: 'uq_flow_run_number', columnNames: ['run_number'], isUnique: true }),
          new TableIndex({ name: 'ix_flow_run_flow_started', columnNames: ['flow_name', 'started_at'] }),
          new TableIndex({ name: 'ix_flow_run_flow_timeperiod', columnNames: ['flow_name', 'timeperiod', 'started_at'] }),
          new TableIndex({ name: 'ix_flow_run_finished', columnNames: ['finished_at'] }),
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'step_attempt',
        columns: [
          // SQLite: `integer` makes it the rowid, the rows' only b-tree (history/attempt-ids.ts); PostgreSQL: 64-bit.
          { name: 'id', type: postgres ? 'bigint' : 'integer', isPrimary: true },
          { name: 'run_id', type: 'varchar', length: '32' },
          { name: 'flow_name', type: 'varchar', length: '255' },
          { name: 'timeperiod', type: 'varchar', length: '10' },
          { name: 'step_name', type: 'varchar', length: '255' },
          { name: 'attempt', type: 'integer' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'cluster', type: 'varchar', length: '255', isNullable: true },
          ...times,
          { name: 'error', type: 'text', isNullable: true },
        ],
        indices: postgres ? [new TableIndex({ name: 'ix_step_attempt_run', columnNames: ['run_id'] })] : [],
      }),
      true,
    );
    // Where each run's number comes from on PostgreSQL (SQLite: one more than the highest, in the set-up's write transaction).
    if (postgres) await queryRunner.query(`CREATE SEQUENCE IF NOT EXISTS ${qualifiedName(queryRunner, RUN_NUMBER_SEQUENCE)}`);
    if (!(await queryRunner.hasColumn('step', 'run_id'))) {
      const runId = new TableColumn({ name: 'run_id', type: 'varchar', length: '32', isNullable: true });
      // A plain ADD COLUMN on SQLite, where TypeORM's addColumn would copy the whole step table.
      if (postgres) await queryRunner.addColumn('step', runId);
      else await queryRunner.query('ALTER TABLE "step" ADD COLUMN "run_id" varchar(32)');
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('step_attempt', true);
    if (queryRunner.connection.options.type === 'postgres')
      await queryRunner.query(`DROP SEQUENCE IF EXISTS ${qualifiedName(queryRunner, RUN_NUMBER_SEQUENCE)}`);
    await queryRunner.dropTable('flow_run', true);
    if (await queryRunner.hasColumn('step', 'run_id')) await queryRunner.dropColumn('step', 'run_id');
  }
}
