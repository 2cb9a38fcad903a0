import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

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
        ],
        indices: [
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
        // SQLite: the rows are stored in their key's b-tree, the only one an attempt row writes (attemptsOfRuns).
        withoutRowid: true,
        columns: [
          { name: 'id', type: 'varchar', length: '48', isPrimary: true },
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
    if (!(await queryRunner.hasColumn('step', 'run_id'))) {
      const runId = new TableColumn({ name: 'run_id', type: 'varchar', length: '32', isNullable: true });
      // A plain ADD COLUMN on SQLite, where TypeORM's addColumn would copy the whole step table.
      if (postgres) await queryRunner.addColumn('step', runId);
      else await queryRunner.query('ALTER TABLE "step" ADD COLUMN "run_id" varchar(32)');
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('step_attempt', true);
    await queryRunner.dropTable('flow_run', true);
    if (await queryRunner.hasColumn('step', 'run_id')) await queryRunner.dropColumn('step', 'run_id');
  }
}
