import { expect } from 'chai';
import { Flow, FlowState, Main, Step, StepState, type StepContext } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { tempDatabase } from '../support/temp-database';

const TP = '2026112600';

@Step({ name: 'nul_in_stderr' })
class NulInStderr {
  @Main() async run(ctx: StepContext) {
    await ctx.cluster.runShellCommand("printf 'bad\\000byte' >&2; exit 1");
  }
}

@Step({ name: 'lone_surrogate' })
class LoneSurrogate {
  @Main() run() {
    throw new Error('half \ud83d of an emoji, a whole one \ud83d\ude00, a stray low \ude00');
  }
}

@Flow({ name: 'odd_text_flow', steps: [NulInStderr, LoneSurrogate] })
class OddTextFlow {}

/** Runs on SQLite, and on PostgreSQL in the second half of `npm test` (which refuses a NUL in text). */
describe('engine/step errors: any text a step fails with is recorded', () => {
  let t: TestingApp;
  let db: ReturnType<typeof tempDatabase>;

  beforeEach(async () => {
    db = tempDatabase();
    t = await createTestingApp({ flows: [OddTextFlow], database: db.database });
  });

  afterEach(async () => {
    await t.teardown();
    db.cleanup();
  });

  it("a NUL byte in a command's stderr and lone surrogates in a message: both steps end invalid, with their errors readable", async () => {
    const result = await t.app.run('odd_text_flow', { timeperiod: TP, failFast: false });
    expect(result.state).to.equal(FlowState.INVALID);
    expect(result.steps).to.deep.equal({ nul_in_stderr: StepState.INVALID, lone_surrogate: StepState.INVALID });

    const { flow, steps } = await t.app.status('odd_text_flow', TP);
    expect(flow.state).to.equal(FlowState.INVALID);
    const errors = Object.fromEntries(steps.map((s) => [s.stepName, s.error]));
    expect(errors.nul_in_stderr).to.match(/exited with code 1 on cluster 'local-\d'; stderr ends with:\nbad\u2400byte$/);
    expect(errors.lone_surrogate).to.equal('Error: half \ufffd of an emoji, a whole one \ud83d\ude00, a stray low \ufffd');
  });
});
