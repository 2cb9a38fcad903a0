import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The `flow` and `step` tables of the README's "States". Written with TypeORM's portable Table API,
 * so one migration serves SQLite and PostgreSQL; `ifNotExist` adopts a database that 0.1.0's
 * `synchronize` already created (same tables, same index names) without touching its rows.
 */
export class InitialSchema1795910400000 implements MigrationInterface {
  name = 'InitialSchema1795910400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // `datetime` on SQLite, `timestamp without time zone` on PostgreSQL: what the entities' `type: Date` maps to.
    const timestamp = queryRunner.connection.driver.normalizeType({ type: Date });
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    const times = [
      { name: 'created_at', type: timestamp },
      { name: 'started_at', type: timestamp, isNullable: true },
      { name: 'finished_at', type: timestamp, isNullable: true },
    ];

    await queryRunner.createTable(
      new Table({
        name: 'flow',
        columns: [
          id,
          { name: 'flow_name', type: 'varchar', length: '255' },
          { name: 'timeperiod', type: 'varchar', length: '10' },
          { name: 'start_timeperiod', type: 'varchar', length: '10', isNullable: true },
          { name: 'end_timeperiod', type: 'varchar', length: '10', isNullable: true },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'run_mode', type: 'varchar', length: '16' },
          ...times,
        ],
        indices: [new TableIndex({ name: 'uq_flow_name_timeperiod', columnNames: ['flow_name', 'timeperiod'], isUnique: true })],
      }),
      true,
    );

    await queryRunner.createTable(
      new Table({
        name: 'step',
        columns: [
          id,
          { name: 'flow_id', type: 'integer' },
          { name: 'flow_name', type: 'varchar', length: '255' },
          { name: 'step_name', type: 'varchar', length: '255' },
          { name: 'timeperiod', type: 'varchar', length: '10' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'attempt', type: 'integer', default: 0 },
          ...times,
          { name: 'error', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'uq_step_flow_step_timeperiod', columnNames: ['flow_name', 'step_name', 'timeperiod'], isUnique: true }),
          new TableIndex({ name: 'ix_step_flow_id', columnNames: ['flow_id'] }),
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('step', true);
    await queryRunner.dropTable('flow', true);
  }
}
