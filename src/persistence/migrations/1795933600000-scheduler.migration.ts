import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const FLOW_STATE_INDEX = 'ix_flow_name_state_timeperiod';

/**
 * The scheduler's tables (`schedule_claim`, `schedule_pause`, see their entities) and an index of
 * the flow table by [flow_name, state, timeperiod]: a tick asks each flow for its periods that are
 * not processed, and for how many of a range are, which that index answers without reading the
 * flow's whole history. Building it reads the flow table once.
 */
export class Scheduler1795933600000 implements MigrationInterface {
  name = 'Scheduler1795933600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'schedule_claim',
        columns: [
          { name: 'flow_name', type: 'varchar', length: '255', isPrimary: true },
          { name: 'timeperiod', type: 'varchar', length: '10', isPrimary: true },
          { name: 'attempt', type: 'integer', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'holder_id', type: 'varchar', length: '36' },
          { name: 'host', type: 'varchar', length: '255' },
          { name: 'pid', type: 'integer' },
          { name: 'claimed_at', type: 'bigint' },
          { name: 'finished_at', type: 'bigint', isNullable: true },
          { name: 'outcome', type: 'varchar', length: '16', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_schedule_claim_open', columnNames: ['flow_name'], where: 'finished_at IS NULL' })],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'schedule_pause',
        columns: [
          { name: 'flow_name', type: 'varchar', length: '255', isPrimary: true },
          { name: 'paused_at', type: 'bigint' },
        ],
      }),
      true,
    );
    const flow = await queryRunner.getTable('flow');
    if (!flow?.indices.some((index) => index.name === FLOW_STATE_INDEX)) {
      await queryRunner.createIndex('flow', new TableIndex({ name: FLOW_STATE_INDEX, columnNames: ['flow_name', 'state', 'timeperiod'] }));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('flow', FLOW_STATE_INDEX);
    await queryRunner.dropTable('schedule_pause', true);
    await queryRunner.dropTable('schedule_claim', true);
  }
}
