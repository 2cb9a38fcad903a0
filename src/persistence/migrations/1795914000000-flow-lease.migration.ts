import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The `flow_lease` table: one row per running [flow_name, timeperiod], see FlowLeaseRecord. */
export class FlowLease1795914000000 implements MigrationInterface {
  name = 'FlowLease1795914000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'flow_lease',
        columns: [
          { name: 'flow_name', type: 'varchar', length: '255', isPrimary: true },
          { name: 'timeperiod', type: 'varchar', length: '10', isPrimary: true },
          { name: 'holder_id', type: 'varchar', length: '36' },
          { name: 'host', type: 'varchar', length: '255' },
          { name: 'pid', type: 'integer' },
          { name: 'version', type: 'integer' },
          { name: 'acquired_at', type: 'bigint' },
          { name: 'heartbeat_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('flow_lease', true);
  }
}
