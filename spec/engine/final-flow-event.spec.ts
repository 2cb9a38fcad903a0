import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { filter } from 'rxjs';
import { DependsOn, Flow, FlowState, Main, Step, type FlowRunResult } from '../../src';
import type { FlowEvent } from '../../src/domain/flow-event';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { tempDatabase } from '../support/temp-database';

const TP = '2026112600';
const FINAL = new Set<string>([FlowState.PROCESSED, FlowState.INVALID, FlowState.NOOP]);

@Step({ name: 'extract' })
class Extract {
  @Main() run() {}
}

@Step({ name: 'load' })
@DependsOn(Extract)
class Load {
  @Main() run() {}
}

/** As small as a flow gets while runFrom still has a step to start from. */
@Flow({ name: 'two_steps', steps: [Extract, Load] })
class TwoSteps {}

describe('engine/the final flow event: the run is over when it is announced', function () {
  this.timeout(120_000);
  let t: TestingApp;
  let db: ReturnType<typeof tempDatabase>;

  beforeEach(async () => {
    db = tempDatabase();
    t = await createTestingApp({ flows: [TwoSteps], database: db.database });
  });

  afterEach(async () => {
    await t.teardown();
    db.cleanup();
  });

  it('an events$ subscriber that calls runFrom on the final flow event of a run succeeds, every time (40 runs)', async () => {
    const reruns: Array<Promise<FlowRunResult | Error>> = [];
    const subscription = t.app.events$
      .pipe(filter((e: FlowEvent) => e.type === 'flow' && e.runMode === 'run' && FINAL.has(e.state)))
      .subscribe(() => reruns.push(t.app.runFrom('two_steps', 'load', { timeperiod: TP }).catch((err: Error) => err)));
    try {
      for (let i = 0; i < 40; i++) {
        const result = await t.app.run('two_steps', { timeperiod: TP });
        expect(result.state).to.equal(FlowState.PROCESSED);
        expect(reruns, 'the final event came before run() resolved').to.have.length(i + 1);
        const rerun = await reruns[i];
        expect(rerun, `run ${i + 1}: ${String(rerun)}`).not.to.be.instanceOf(Error);
        expect((rerun as FlowRunResult).state).to.equal(FlowState.PROCESSED);
      }
    } finally {
      subscription.unsubscribe();
    }
  });

  it('when run() resolves and its final event fires, its flow log holds the end line', async () => {
    let logAtFinalEvent = '';
    const subscription = t.app.events$.pipe(filter((e: FlowEvent) => e.type === 'flow' && FINAL.has(e.state))).subscribe(() => {
      logAtFinalEvent = fs.readFileSync(path.join(t.logDirectory, 'two_steps', 'two_steps.log'), 'utf8');
    });
    try {
      await t.app.run('two_steps', { timeperiod: TP });
      expect(logAtFinalEvent).to.match(/run of timeperiod 2026112600 ended processed/);
    } finally {
      subscription.unsubscribe();
    }
  });
});
