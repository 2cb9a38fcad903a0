import { expect } from 'chai';
import * as api from '../src';
import { createTestingApp } from '../src/testing';
import { HelloWorldFlow } from '../samples';

describe('the public API (src/index.ts)', () => {
  it('exports no internals: no TypeORM entity, no scanner, no argument resolver', () => {
    const internals = [
      'FlowRecord',
      'StepRecord',
      'FlowEntity',
      'StepEntity',
      'FlowLeaseRecord',
      'resolveArgs',
      'scanFlow',
      'scanFlows',
      'scanStep',
      'StateStore',
    ];
    expect(Object.keys(api).filter((name) => internals.includes(name))).to.deep.equal([]);
  });

  it('status() and runs() give records with the fields the README names, camelCase', async () => {
    const t = await createTestingApp({ flows: [HelloWorldFlow] });
    try {
      await t.app.run('hello_world', { timeperiod: '2026112600' });
      const { flow, steps } = await t.app.status('hello_world', '2026112600');
      const fields = ['flowName', 'timeperiod', 'state', 'createdAt', 'startedAt', 'finishedAt'];
      expect(flow).to.include.keys([...fields, 'runMode', 'startTimeperiod', 'endTimeperiod']);
      for (const step of steps) expect(step).to.include.keys([...fields, 'stepName', 'attempt', 'error']);
      expect((await t.app.runs('hello_world')).map((run) => run.timeperiod)).to.deep.equal(['2026112600']);
    } finally {
      await t.teardown();
    }
  });
});
