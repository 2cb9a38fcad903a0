import { expect } from 'chai';
import { ConfigurationError, FlowState, FlowStateChangedError } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { EightStepFlow } from '../../samples';
import { rejection } from '../support/rejection';
import { tempDatabase } from '../support/temp-database';

const TP = '2026112600';

/**
 * A caller that decided from a state it read earlier (a backfill, a scheduler, a person's script)
 * asks the run to check that state under the period's lease: a full run of a period another engine
 * processed in between would purge its steps' records and run every step again.
 */
describe('engine/run option expectedState: the state a caller decided from, checked under the lease', () => {
  let t: TestingApp;
  let db: ReturnType<typeof tempDatabase>;

  beforeEach(async () => {
    db = tempDatabase();
    t = await createTestingApp({ flows: [EightStepFlow], database: db.database });
  });

  afterEach(async () => {
    await t.teardown();
    db.cleanup();
  });

  it('a run expecting a period that never ran, now processed, runs and writes nothing, and says why', async () => {
    expect((await t.app.run('eight_steps', { timeperiod: TP })).state).to.equal(FlowState.PROCESSED);
    const before = await t.app.status('eight_steps', TP);
    const eventsBefore = t.events.length;

    const error = await rejection(t.app.run('eight_steps', { timeperiod: TP, expectedState: null }));

    expect(error).to.be.instanceOf(FlowStateChangedError);
    expect(error).to.include({ code: 'ERR_SYNERGY_FLOW_STATE_CHANGED', expected: null, actual: FlowState.PROCESSED });
    expect(error!.message).to.equal(
      "flow 'eight_steps' for timeperiod 2026112600 is processed, but the run expected it had never run: another engine ran it since that state was read; nothing was run or written (see it with status)",
    );
    expect(await t.app.status('eight_steps', TP), 'the steps keep their records').to.deep.equal(before);
    expect(await t.app.history('eight_steps', { timeperiod: TP }), 'no second run in the history').to.have.length(1);
    expect(t.events.length, 'nothing announced').to.equal(eventsBefore);
    // The lease was given back: a run without the condition goes ahead at once.
    expect((await t.app.run('eight_steps', { timeperiod: TP })).state).to.equal(FlowState.PROCESSED);
  });

  it('a run whose expected state still holds goes ahead, in every mode', async () => {
    expect((await t.app.run('eight_steps', { timeperiod: TP, expectedState: null })).state).to.equal(FlowState.PROCESSED);
    expect((await t.app.recover('eight_steps', { timeperiod: TP, expectedState: FlowState.PROCESSED })).state).to.equal(
      FlowState.PROCESSED,
    );
    expect((await t.app.runOne('eight_steps', 'step_1', { timeperiod: TP, expectedState: FlowState.PROCESSED })).state).to.equal(
      FlowState.PROCESSED,
    );
    expect(await t.app.history('eight_steps', { timeperiod: TP })).to.have.length(3);
  });

  it('a state that is no flow state is refused before anything is locked or written', async () => {
    const error = await rejection(t.app.run('eight_steps', { timeperiod: TP, expectedState: 'done' as FlowState }));
    expect(error).to.be.instanceOf(ConfigurationError);
    expect(error!.message).to.include(
      "expectedState: must be one of embryo, in_progress, processed, noop, invalid or null (never ran), got 'done'",
    );
    expect(await t.app.history('eight_steps', { timeperiod: TP })).to.have.length(0);
  });
});
