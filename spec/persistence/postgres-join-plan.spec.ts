import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { createDataSource, StateStore, StepState, type StepEntity } from '../../src/persistence';
import { freshRunRequest } from './fixtures/run-request';
import { SPEC_DATABASES, type SpecDatabase } from './fixtures/spec-databases';

const STEPS = Array.from({ length: 40 }, (_, i) => `s${i}`);

/**
 * A group commit that ends several steps updates their rows with one multi-row UPDATE, which each
 * connection prepares once. It is planned once, on its first run (BATCH_PLAN_SETTINGS): planning it
 * anew at every commit cost a quarter of the commit. Made while the step table is small (a new
 * database), that plan must still look rows up through the primary key once the table holds years
 * of runs: a hash join over the whole table halved a 1,000-step run's speed.
 */
describe('persistence: the plan of a multi-row step update on PostgreSQL', function () {
  this.timeout(60_000);
  const postgres = SPEC_DATABASES.find((kind) => kind.name === 'PostgreSQL')!;
  let db: SpecDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    db = await postgres.create();
    // Migrated first (the migrations take a connection of their own), then opened on one
    // connection: the writer's prepared statements are where this spec asks PostgreSQL about them.
    await (await createDataSource(db.options)).destroy();
    dataSource = await createDataSource({ ...db.options, migrationsRun: false, extra: { max: 1 } });
  });
  afterEach(async () => {
    await dataSource.destroy();
    await db.cleanup();
  });

  it('made while the table held one run, it still reads the rows through the primary key once it holds 20,000 more', async () => {
    const store = new StateStore(dataSource);
    const { steps } = await store.prepareRun(freshRunRequest('etl', '2026112600', STEPS));
    const rows = STEPS.map((name) => steps.get(name)!);
    // Ten group commits of two step ends each, as the engine's commits hold them: the statement
    // runs more than five times, so PostgreSQL has settled on a plan for it.
    const pairs: Array<[StepEntity, StepEntity]> = [];
    for (let i = 0; i < 20; i += 2) pairs.push([rows[i], rows[i + 1]]);
    for (const [a, b] of pairs) {
      const finishedAt = new Date();
      await Promise.all([a, b].map((step) => store.updateStep(step, { state: StepState.PROCESSED, finishedAt })));
    }
    const table = dataSource.getMetadata('StepEntity').tablePath;
    const quoted = table
      .split('.')
      .map((part) => `"${part}"`)
      .join('.');
    const flowId = rows[0].flowId;
    await dataSource.query(
      `INSERT INTO ${quoted} (flow_id, flow_name, step_name, timeperiod, state, attempt, created_at)
       SELECT $1, 'history', 's' || g, '2020010100', 'processed', 1, now() FROM generate_series(1, 20000) g`,
      [flowId],
    );

    const [prepared] = await dataSource.query<Array<{ name: string; types: string[] }>>(
      `SELECT name, parameter_types::text[] AS types FROM pg_prepared_statements WHERE statement LIKE $1`,
      [`UPDATE ${quoted} AS t SET%`],
    );
    expect(prepared, 'the writer prepared its multi-row update on this connection').to.not.equal(undefined);
    const nulls = prepared.types.map((type) => `NULL::${type}`).join(', ');
    // The plan the writer's commits run: the one generic plan kept for the statement. (Under the
    // default plan_cache_mode, EXPLAIN would make a new custom plan, with this session's settings.)
    const plan = await dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
      return (await manager.query<Array<{ 'QUERY PLAN': string }>>(`EXPLAIN EXECUTE ${prepared.name}(${nulls})`))
        .map((row) => row['QUERY PLAN'])
        .join('\n');
    });
    expect(plan).to.match(/Index Scan using \S+ on step t/);
    expect(plan).not.to.match(/Seq Scan on step/);

    // And the commits it makes still write what they are given.
    const [c, d] = [rows[30], rows[31]];
    await Promise.all([c, d].map((step) => store.updateStep(step, { state: StepState.PROCESSED, finishedAt: new Date() })));
    const states = await dataSource.query<Array<{ state: string }>>(`SELECT state FROM ${quoted} WHERE id = ANY($1) ORDER BY id`, [
      [c.id, d.id],
    ]);
    expect(states.map((s) => s.state)).to.deep.equal(['processed', 'processed']);
  });

  it('plans each multi-row statement once per connection, not at every group commit', async () => {
    const store = new StateStore(dataSource);
    const { steps } = await store.prepareRun(freshRunRequest('etl', '2026112600', STEPS));
    const rows = STEPS.map((name) => steps.get(name)!);
    // Twelve group commits of two step ends each.
    for (let i = 0; i < 24; i += 2) {
      const finishedAt = new Date();
      await Promise.all([rows[i], rows[i + 1]].map((step) => store.updateStep(step, { state: StepState.PROCESSED, finishedAt })));
    }
    const table = dataSource.getMetadata('StepEntity').tablePath;
    const quoted = table
      .split('.')
      .map((part) => `"${part}"`)
      .join('.');
    const counts = await dataSource.query<Array<{ generic: string; custom: string }>>(
      `SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements WHERE statement LIKE $1`,
      [`UPDATE ${quoted} AS t SET%`],
    );
    expect(counts, 'one multi-row update prepared on this connection').to.have.length(1);
    // Every run used the one generic plan; none was planned for its own values.
    expect({ generic: Number(counts[0].generic), custom: Number(counts[0].custom) }).to.deep.equal({ generic: 12, custom: 0 });
  });
});
