import { expect } from 'chai';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { FlowState, StepState } from '../../src';
import { createDataSource, FlowEntity, StepEntity } from '../../src/persistence';
import { FlowRunEntity } from '../../src/persistence/flow-run.entity';
import { StepAttemptEntity } from '../../src/persistence/step-attempt.entity';
import { SPEC_DATABASES, type SpecDatabase } from './fixtures/spec-databases';
import { inTimeZone } from './time-zone/zone-engine';

/** Winter and summer instants: Los Angeles is UTC-8 at one, UTC-7 at the other, so one fixed offset cannot pass. */
const WINTER = new Date('2026-12-01T07:06:33.123Z');
const SUMMER = new Date('2026-07-15T23:59:59.999Z');
/** The same instants as Los Angeles' wall times, as the release before AbsoluteTimes stored them there. */
const WINTER_IN_LA = '2026-11-30 23:06:33.123';
const SUMMER_IN_LA = '2026-07-15 16:59:59.999';
const LOS_ANGELES = 'America/Los_Angeles';
const TIME_COLUMNS = [
  'flow.created_at',
  'flow.started_at',
  'flow.finished_at',
  'step.created_at',
  'step.started_at',
  'step.finished_at',
  'flow_run.started_at',
  'flow_run.finished_at',
  'step_attempt.started_at',
  'step_attempt.finished_at',
];

/** A row in each table with time columns: a time in winter, one in summer, one null. */
async function writeRows(dataSource: DataSource): Promise<void> {
  const flow = await dataSource.getRepository(FlowEntity).save({
    flowName: 'daily',
    timeperiod: '2026113000',
    state: FlowState.PROCESSED,
    runMode: 'run',
    createdAt: WINTER,
    startedAt: SUMMER,
    finishedAt: null,
  });
  await dataSource.getRepository(StepEntity).save({
    flowId: flow.id,
    flowName: 'daily',
    stepName: 'load',
    timeperiod: '2026113000',
    state: StepState.PROCESSED,
    createdAt: SUMMER,
    startedAt: WINTER,
    finishedAt: null,
  });
  await dataSource.getRepository(FlowRunEntity).insert({
    runId: 'r'.repeat(32),
    flowName: 'daily',
    timeperiod: '2026113000',
    runMode: 'run',
    trigger: 'api',
    state: FlowState.PROCESSED,
    host: 'etl-host',
    pid: 1,
    startedAt: WINTER,
    finishedAt: SUMMER,
    runNumber: 1,
  } as never);
  await dataSource.getRepository(StepAttemptEntity).insert({
    id: 1,
    runId: 'r'.repeat(32),
    flowName: 'daily',
    timeperiod: '2026113000',
    stepName: 'load',
    attempt: 1,
    state: StepState.PROCESSED,
    startedAt: SUMMER,
    finishedAt: null,
  });
}

/** Every time of the rows, as instants. */
async function readInstants(dataSource: DataSource): Promise<Record<string, string | null>> {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  const flow = await dataSource.getRepository(FlowEntity).findOneByOrFail({ flowName: 'daily' });
  const step = await dataSource.getRepository(StepEntity).findOneByOrFail({ flowName: 'daily' });
  const run = await dataSource.getRepository(FlowRunEntity).findOneByOrFail({ flowName: 'daily' });
  const attempt = await dataSource.getRepository(StepAttemptEntity).findOneByOrFail({ flowName: 'daily' });
  return Object.fromEntries(
    [flow.createdAt, flow.startedAt, flow.finishedAt, step.createdAt, step.startedAt, step.finishedAt]
      .concat([run.startedAt, run.finishedAt, attempt.startedAt, attempt.finishedAt])
      .map((value, i) => [TIME_COLUMNS[i], iso(value)]),
  );
}

/** Each time column's type and stored text (`::text`: no conversion by this process), by `table.column`. */
async function storedTimes(dataSource: DataSource, schema: string): Promise<Record<string, [string, string | null]>> {
  const stored: Record<string, [string, string | null]> = {};
  for (const name of TIME_COLUMNS) {
    const [table, column] = name.split('.');
    const [{ type }] = await dataSource.query<Array<{ type: string }>>(
      'SELECT data_type AS type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3',
      [schema, table, column],
    );
    const [{ text }] = await dataSource.query<Array<{ text: string | null }>>(
      `SELECT "${column}"::text AS text FROM "${schema}"."${table}"`,
    );
    stored[name] = [type, text];
  }
  return stored;
}

const postgres = SPEC_DATABASES.find((kind) => kind.name === 'PostgreSQL')!;

describe('persistence/the absolute times migration on PostgreSQL, reverted', function () {
  // Each migration step runs in a node process of its own, in Los Angeles: seconds apiece.
  this.timeout(120_000);
  let db: SpecDatabase;
  beforeEach(async () => (db = await postgres.create()));
  afterEach(async () => db.cleanup());

  it('down() gives the previous release its wall times in the migrating zone, and up() again the same instants (up, down, up)', async () => {
    const { schema } = db.options as unknown as { schema: string };
    let dataSource = await createDataSource(db.options);
    try {
      await writeRows(dataSource);
      expect(await readInstants(dataSource)).to.deep.equal(readInstantsExpected());
    } finally {
      await dataSource.destroy();
    }

    const reverted = await inTimeZone(LOS_ANGELES, { action: 'undo', database: db.options, count: 4 });
    expect(reverted.undone).to.deep.equal([
      'StepCluster1795950800000',
      'RunInstance1795947200000',
      'ProcessIdentity1795943600000',
      'AbsoluteTimes1795940000000',
    ]);
    // A connection that neither migrates nor checks the schema reads the database as the revert left it.
    const raw = await new DataSource({ ...db.options, logging: false } as DataSourceOptions).initialize();
    try {
      // What the release before AbsoluteTimes reads in Los Angeles as these instants: their wall times there.
      expect(await storedTimes(raw, schema)).to.deep.equal(
        expectedStored('timestamp without time zone', { winter: WINTER_IN_LA, summer: SUMMER_IN_LA }),
      );
    } finally {
      await raw.destroy();
    }

    const migrated = await inTimeZone(LOS_ANGELES, { action: 'migrate', database: db.options });
    expect(migrated.applied).to.deep.equal([
      'AbsoluteTimes1795940000000',
      'ProcessIdentity1795943600000',
      'RunInstance1795947200000',
      'StepCluster1795950800000',
    ]);
    dataSource = await createDataSource(db.options);
    try {
      expect(await readInstants(dataSource)).to.deep.equal(readInstantsExpected());
      const types = Object.values(await storedTimes(dataSource, schema)).map(([type]) => type);
      expect(types).to.deep.equal(TIME_COLUMNS.map(() => 'timestamp with time zone'));
    } finally {
      await dataSource.destroy();
    }
  });
});

function readInstantsExpected(): Record<string, string | null> {
  const [winter, summer] = [WINTER.toISOString(), SUMMER.toISOString()];
  return {
    'flow.created_at': winter,
    'flow.started_at': summer,
    'flow.finished_at': null,
    'step.created_at': summer,
    'step.started_at': winter,
    'step.finished_at': null,
    'flow_run.started_at': winter,
    'flow_run.finished_at': summer,
    'step_attempt.started_at': summer,
    'step_attempt.finished_at': null,
  };
}

function expectedStored(type: string, text: { winter: string; summer: string }): Record<string, [string, string | null]> {
  return Object.fromEntries(
    Object.entries(readInstantsExpected()).map(([column, instant]) => [
      column,
      [type, instant === null ? null : instant === WINTER.toISOString() ? text.winter : text.summer],
    ]),
  );
}
