import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const FLOW_STATE_INDEX = 'ix_flow_name_state_timeperiod';
const MARK_TRIGGER = 'tr_flow_schedule_mark';
const MARK_RESET = 'synergy_schedule_mark_reset';

/**
 * The scheduler's tables (`schedule_claim`, `schedule_pause`, see their entities) and an index of
 * the flow table by [flow_name, state, timeperiod]: a tick asks each flow for its periods that are
 * not processed, and for how many of a range are, which that index answers without reading the
 * flow's whole history. Building it reads the flow table once.
 *
 * `schedule_mark` (ScheduleMarkRecord) keeps how far each flow's periods have their rows, so a new
 * scheduler process does not count a year of them again. Triggers on `flow` reset a flow's mark
 * when one of its rows is deleted or re-keyed (by hand: the engine only adds rows), so the mark
 * never claims a row that is gone. In this migration, not a new one: it has not been released.
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
    await queryRunner.createTable(
      new Table({
        name: 'schedule_mark',
        columns: [
          { name: 'flow_name', type: 'varchar', length: '255', isPrimary: true },
          { name: 'start_period', type: 'varchar', length: '10', isNullable: true },
          { name: 'granularity', type: 'varchar', length: '8', isNullable: true },
          { name: 'next_period', type: 'varchar', length: '10', isNullable: true },
          { name: 'version', type: 'integer' },
        ],
      }),
      true,
    );
    for (const sql of await markTriggerSql(queryRunner)) await queryRunner.query(sql);
    const flow = await queryRunner.getTable('flow');
    if (!flow?.indices.some((index) => index.name === FLOW_STATE_INDEX)) {
      await queryRunner.createIndex('flow', new TableIndex({ name: FLOW_STATE_INDEX, columnNames: ['flow_name', 'state', 'timeperiod'] }));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of await dropMarkTriggerSql(queryRunner)) await queryRunner.query(sql);
    await queryRunner.dropTable('schedule_mark', true);
    await queryRunner.dropIndex('flow', FLOW_STATE_INDEX);
    await queryRunner.dropTable('schedule_pause', true);
    await queryRunner.dropTable('schedule_claim', true);
  }
}

/** The mark of the flow whose row `OLD` was: reset (NULL, recounted from the start), its version moved on; created if none yet. */
const RESET_VALUES = `(flow_name, next_period, version) VALUES (OLD.flow_name, NULL, 1)
  ON CONFLICT (flow_name) DO UPDATE SET next_period = NULL, version = schedule_mark.version + 1`;

/**
 * The triggers that reset a flow's mark when one of its flow rows is deleted or changes its flow
 * or timeperiod (the row's period has no row any more). An UPDATE of other columns (every state
 * transition) does not fire them. PostgreSQL also resets every mark on TRUNCATE, which fires no
 * row trigger; SQLite has no TRUNCATE (and a DELETE without WHERE fires row triggers when some exist).
 */
async function markTriggerSql(queryRunner: QueryRunner): Promise<string[]> {
  if (queryRunner.connection.options.type !== 'postgres') {
    return [
      `CREATE TRIGGER ${MARK_TRIGGER}_delete AFTER DELETE ON flow BEGIN INSERT INTO schedule_mark ${RESET_VALUES}; END`,
      `CREATE TRIGGER ${MARK_TRIGGER}_rekey AFTER UPDATE OF flow_name, timeperiod ON flow
        WHEN OLD.flow_name <> NEW.flow_name OR OLD.timeperiod <> NEW.timeperiod
        BEGIN INSERT INTO schedule_mark ${RESET_VALUES}; END`,
    ];
  }
  const { flow, mark, reset, resetAll } = await postgresNames(queryRunner);
  return [
    `CREATE FUNCTION ${reset}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.flow_name = NEW.flow_name AND OLD.timeperiod = NEW.timeperiod THEN RETURN NULL; END IF;
        INSERT INTO ${mark} AS schedule_mark ${RESET_VALUES};
        RETURN NULL;
      END $$`,
    `CREATE FUNCTION ${resetAll}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE ${mark} SET next_period = NULL, version = version + 1;
        RETURN NULL;
      END $$`,
    `CREATE TRIGGER ${MARK_TRIGGER} AFTER DELETE OR UPDATE OF flow_name, timeperiod ON ${flow} FOR EACH ROW EXECUTE PROCEDURE ${reset}()`,
    `CREATE TRIGGER ${MARK_TRIGGER}_truncate AFTER TRUNCATE ON ${flow} FOR EACH STATEMENT EXECUTE PROCEDURE ${resetAll}()`,
  ];
}

async function dropMarkTriggerSql(queryRunner: QueryRunner): Promise<string[]> {
  if (queryRunner.connection.options.type !== 'postgres') {
    return [`DROP TRIGGER IF EXISTS ${MARK_TRIGGER}_delete`, `DROP TRIGGER IF EXISTS ${MARK_TRIGGER}_rekey`];
  }
  const { flow, reset, resetAll } = await postgresNames(queryRunner);
  return [
    `DROP TRIGGER IF EXISTS ${MARK_TRIGGER}_truncate ON ${flow}`,
    `DROP TRIGGER IF EXISTS ${MARK_TRIGGER} ON ${flow}`,
    `DROP FUNCTION IF EXISTS ${resetAll}()`,
    `DROP FUNCTION IF EXISTS ${reset}()`,
  ];
}

/** The schema-qualified names on PostgreSQL: the options' schema, else the connection's current one. */
async function postgresNames(queryRunner: QueryRunner) {
  const configured = (queryRunner.connection.options as { schema?: string }).schema;
  const schema = configured ?? ((await queryRunner.query('SELECT current_schema() AS schema')) as Array<{ schema: string }>)[0].schema;
  const name = (table: string) => `"${schema}"."${table}"`;
  return { flow: name('flow'), mark: name('schedule_mark'), reset: name(MARK_RESET), resetAll: name(`${MARK_RESET}_all`) };
}
