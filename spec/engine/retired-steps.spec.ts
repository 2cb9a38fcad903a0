import { expect } from 'chai';
import { FlowState, type DatabaseOptions } from '../../src';
import { renderStatus, statusToJson } from '../../src/cli/render/status.renderer';
import { freshSchema, type FreshSchema } from '../../src/persistence/fresh-schema';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { tempDatabase } from '../support/temp-database';
import { VersionedV1, VersionedV2 } from '../support/versioned-flows';

const TP = '2026112600';

describe('engine/retired steps: rows of steps removed from a flow no longer count', () => {
  let db: ReturnType<typeof tempDatabase>;
  /** On the PostgreSQL pass, one schema both versions share (the harness would give each its own). */
  let schema: FreshSchema | undefined;
  let database: DatabaseOptions;
  let v2: TestingApp | undefined;

  beforeEach(async () => {
    db = tempDatabase();
    schema = db.database ? undefined : freshSchema(JSON.parse(process.env.SYNERGY_TEST_DATABASE!) as DatabaseOptions);
    database = db.database ?? schema!.options;
    // Version 1 runs and fails, then its process goes away.
    const v1 = await createTestingApp({ flows: [VersionedV1], database });
    try {
      const first = await v1.app.run('versioned', { timeperiod: TP });
      expect(first).to.include({ state: FlowState.INVALID });
      expect(first.steps).to.deep.equal({ a: 'processed', b: 'invalid' });
    } finally {
      await v1.teardown();
    }
  });

  afterEach(async () => {
    await v2?.teardown();
    v2 = undefined;
    await schema?.drop();
    db.cleanup();
  });

  /** Version 2, deployed on the same database. */
  const bootstrapV2 = async () => (v2 = await createTestingApp({ flows: [VersionedV2], database }));

  it('recover, runOne and runFrom of version 2 end processed; the old row is kept, marked retired', async () => {
    const t = await bootstrapV2();
    const recovered = await t.app.recover('versioned', { timeperiod: TP });
    expect(recovered.state).to.equal(FlowState.PROCESSED);
    expect(recovered.steps).to.deep.equal({ a: 'processed', c: 'processed' });

    const status = await t.app.status('versioned', TP);
    expect(status.flow.state).to.equal(FlowState.PROCESSED);
    const rows = Object.fromEntries(status.steps.map((s) => [s.stepName, { state: s.state, retired: s.retired }]));
    expect(rows).to.deep.equal({
      a: { state: 'processed', retired: undefined },
      b: { state: 'invalid', retired: true },
      c: { state: 'processed', retired: undefined },
    });

    expect(await t.app.runOne('versioned', 'c', { timeperiod: TP })).to.deep.include({
      state: FlowState.PROCESSED,
      steps: { a: 'processed', c: 'processed' },
    });
    expect(await t.app.runFrom('versioned', 'a', { timeperiod: TP })).to.deep.include({
      state: FlowState.PROCESSED,
      steps: { a: 'processed', c: 'processed' },
    });
    expect((await t.app.status('versioned', TP)).steps.map((s) => s.stepName)).to.have.members(['a', 'b', 'c']);
  });

  it('status (the CLI table and its JSON) shows the removed step as retired', async () => {
    const t = await bootstrapV2();
    await t.app.recover('versioned', { timeperiod: TP });
    const status = await t.app.status('versioned', TP);
    const graph = t.app.graph('versioned');
    const table = renderStatus(status, graph, (text) => text)
      .split('\n')
      .filter(Boolean);
    expect(table[0]).to.match(/^versioned 2026112600: processed \(recover/);
    expect(table.at(-1)).to.match(/^b\s+invalid \(retired\)\s+1\s/);
    const json = statusToJson(status, graph);
    expect(json.steps.map((s) => [s.stepName, s.retired ?? false])).to.deep.equal([
      ['a', false],
      ['c', false],
      ['b', true],
    ]);
  });
});
