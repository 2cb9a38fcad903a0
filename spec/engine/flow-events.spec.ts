import { expect } from 'chai';
import Database from 'better-sqlite3';
import { FlowState, type FlowEvent } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { EightStepFlow } from '../../samples';
import { tempSqlite } from '../support/temp-database';

const TP = '2026112600';

describe('engine/events$', () => {
  let t: TestingApp;
  let db: ReturnType<typeof tempSqlite>;

  beforeEach(async () => {
    db = tempSqlite();
    t = await createTestingApp({ flows: [EightStepFlow], database: db.database });
  });

  afterEach(async () => {
    await t.teardown();
    db.cleanup();
  });

  it('emits every flow, step and action state change, in order', async () => {
    await t.app.run('eight_steps', { timeperiod: TP });
    const flowStates = t.events.filter((e) => e.type === 'flow').map((e) => e.type === 'flow' && e.state);
    expect(flowStates).to.deep.equal([FlowState.IN_PROGRESS, FlowState.PROCESSED]);
    for (const step of t.app.graph('eight_steps').steps) {
      const states = t.events.filter((e) => e.type === 'step' && e.stepName === step).map((e) => e.type === 'step' && e.state);
      expect(states, step).to.deep.equal(['in_progress', 'processed']);
    }
    const step1 = t.events
      .filter((e) => e.type === 'action' && e.stepName === 'step_1')
      .map((e) => e.type === 'action' && `${e.phase}.${e.actionName}:${e.state}`);
    expect(step1).to.deep.equal([
      'pre.IdentityAction:started',
      'pre.IdentityAction:completed',
      'main.SleepAction:started',
      'main.SleepAction:completed',
      'post.IdentityAction:started',
      'post.IdentityAction:completed',
    ]);
    const times = t.events.map((e) => e.at);
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));
  });

  it('emits a step transition only once it is committed to the database', async () => {
    // A second connection reads the row synchronously inside the subscriber: what an observer
    // of the event would see if it looked at the database at that very moment.
    const reader = new Database(db.file, { readonly: true });
    const checked: string[] = [];
    const mismatches: string[] = [];
    const sub = t.app.events$.subscribe((e: FlowEvent) => {
      if (e.type !== 'step') return;
      const row = reader
        .prepare('SELECT state FROM step WHERE flow_name = ? AND step_name = ? AND timeperiod = ?')
        .get(e.flowName, e.stepName, e.timeperiod) as { state: string } | undefined;
      checked.push(`${e.stepName}:${e.state}`);
      if (row?.state !== e.state) mismatches.push(`${e.stepName}: event ${e.state}, row ${row?.state}`);
    });
    try {
      await t.app.run('eight_steps', { timeperiod: TP });
    } finally {
      sub.unsubscribe();
      reader.close();
    }
    expect(checked).to.have.length(16);
    expect(mismatches).to.deep.equal([]);
  });
});
