import type { MigrationInterface, QueryRunner } from 'typeorm';
import { qualifiedName } from '../history/attempt-ids';

/** The time columns (the entities' `type: Date`) of each table. */
const TIME_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  flow: ['created_at', 'started_at', 'finished_at'],
  step: ['created_at', 'started_at', 'finished_at'],
  flow_run: ['started_at', 'finished_at'],
  step_attempt: ['started_at', 'finished_at'],
};

const WALL_TIME = 'timestamp without time zone';
const INSTANT = 'timestamp with time zone';

/**
 * PostgreSQL's time columns become `timestamptz`, an absolute instant (see fitTimestampColumns).
 * They were `timestamp without time zone`, what TypeORM makes of `type: Date`, which pg wrote a
 * Date into as the writing process's local wall time and read back as the reading process's: an
 * engine in Tokyo and one in Los Angeles read one run's times 17 hours apart, and a scheduler
 * retried a failure hours early or late.
 *
 * The database does not know which zone those wall times were written in: they are taken to be in
 * the zone of the process that migrates (Intl.DateTimeFormat().resolvedOptions().timeZone, which
 * the TZ variable sets), as the engines of a database usually run where it is migrated. An
 * operator whose engines ran in another zone migrates with TZ set to it (docs/postgres.md). The
 * zone goes to the server as a bound parameter of set_config, for the migration's transaction only,
 * and each wall time is read in it as it is cast. SQLite's `datetime` columns hold UTC text: unchanged.
 *
 * Each table is rewritten, its indexes rebuilt, under a lock that blocks its readers and writers.
 */
export class AbsoluteTimes1795940000000 implements MigrationInterface {
  name = 'AbsoluteTimes1795940000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await convertTimeColumns(queryRunner, WALL_TIME, INSTANT);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await convertTimeColumns(queryRunner, INSTANT, WALL_TIME);
  }
}

async function convertTimeColumns(queryRunner: QueryRunner, from: string, to: string): Promise<void> {
  if (queryRunner.connection.options.type !== 'postgres') return;
  await readWallTimesInZoneOfThisProcess(queryRunner);
  for (const [name, columns] of Object.entries(TIME_COLUMNS)) {
    const table = await queryRunner.getTable(name);
    // Only the columns of the other type: a database this release's `synchronize` made has instants already.
    const convert = columns.filter((column) => table?.findColumnByName(column)?.type === from);
    if (!convert.length) continue;
    const alter = convert.map((column) => `ALTER COLUMN "${column}" TYPE ${to} USING "${column}"::${to}`).join(', ');
    await queryRunner.query(`ALTER TABLE ${qualifiedName(queryRunner, name)} ${alter}`);
  }
}

/** Sets the session's TimeZone, which casts between wall times and instants use, for this transaction only. */
async function readWallTimesInZoneOfThisProcess(queryRunner: QueryRunner): Promise<void> {
  // Outside a transaction set_config(..., true) would not last to the next statement.
  if (!queryRunner.isTransactionActive) throw new Error('AbsoluteTimes1795940000000 must run in a transaction');
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    await queryRunner.query(`SELECT set_config('TimeZone', $1, true)`, [zone]);
  } catch (err) {
    throw new Error(
      `PostgreSQL does not know this process's time zone (${zone}), in which the times stored so far are read: ` +
        `set TZ to the zone the engines ran in (an IANA name such as Europe/Berlin) and migrate again: ${(err as Error)?.message ?? String(err)}`,
      { cause: err },
    );
  }
}
