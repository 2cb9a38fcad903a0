import { expect } from 'chai';
import * as fs from 'node:fs';
import {
  ConfigurationError,
  DependsOn,
  Flow,
  FlowRunNotFoundError,
  InvalidTimeperiodError,
  Main,
  RunIdNotFoundError,
  Step,
  UnknownFlowError,
  UnknownStepError,
  type StepContext,
} from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';

/** Fails the first attempt of each run, with a two-line message; the second attempt passes. */
@Step({ name: 'flaky', retries: 1, retryDelayMs: 1 })
class Flaky {
  @Main() run(ctx: StepContext) {
    ctx.logger.info(`working on ${ctx.timeperiod}, attempt ${ctx.attempt}`);
    if (ctx.attempt === 1) throw new Error('first attempt fails\nsecond line of the message');
  }
}

@Step({ name: 'after' })
@DependsOn(Flaky)
class After {
  @Main() run(ctx: StepContext) {
    ctx.logger.info(`after of ${ctx.timeperiod}`);
  }
}

@Flow({ name: 'logged_flow', steps: [Flaky, After] })
class LoggedFlow {}

@Step({ name: 'elsewhere' })
class Elsewhere {
  @Main() run() {}
}

@Flow({ name: 'other_flow', steps: [Elsewhere] })
class OtherFlow {}

describe('logging: app.logs(flow, { step, timeperiod, runId, attempt })', () => {
  let t: TestingApp;
  const runIds: Record<string, string> = {};
  before(async () => {
    t = await createTestingApp({ flows: [LoggedFlow, OtherFlow] });
    for (const tp of ['2026112600', '2026112700', '2026112600']) {
      const result = await t.app.run('logged_flow', { timeperiod: tp });
      expect(result.state).to.equal('processed');
      runIds[`${tp}/${Object.keys(runIds).length}`] = result.runId;
    }
    await t.app.run('other_flow', { timeperiod: '2026112800' });
  });
  after(() => t.teardown());

  const [first, second, third] = [0, 1, 2];
  const id = (n: number) => Object.values(runIds)[n];

  it("a run's lines, and only its own, in the order written: the flow's log and a step's", async () => {
    const flowLines = await t.app.logs('logged_flow', { runId: id(second) });
    expect(flowLines.map((e) => e.message)).to.include.members(['step flaky processed (attempt 2)', 'step after processed']);
    expect(flowLines[0].message).to.match(/^run of timeperiod 2026112700 started/);
    expect(flowLines.at(-1)!.message).to.match(/^run of timeperiod 2026112700 ended processed/);
    for (const entry of flowLines) {
      expect([entry.flow, entry.step, entry.timeperiod, entry.runId]).to.deep.equal(['logged_flow', undefined, '2026112700', id(second)]);
      expect(entry.line).to.include(`INFO [2026112700#${id(second)}] `);
    }
    const after = await t.app.logs('logged_flow', { step: 'after', runId: id(third) });
    expect(after.map((e) => `${e.action ?? '-'} ${e.message}`)).to.deep.include.members(['run after of 2026112600']);
    expect(after.every((e) => e.runId === id(third) && e.step === 'after')).to.equal(true);
    // Everything of the step's file, in file order: the three runs' lines, nothing left out.
    t.app.logs.flush();
    const whole = fs.readFileSync(t.app.logs.stepLogFile('logged_flow', 'after'), 'utf8');
    const all = await t.app.logs('logged_flow', { step: 'after' });
    expect(all.map((e) => `${e.line}\n`).join('')).to.equal(whole);
  });

  it("a timeperiod's lines are those of every run of it; another timeperiod's never", async () => {
    const lines = await t.app.logs('logged_flow', { step: 'flaky', timeperiod: '2026112600' });
    expect(new Set(lines.map((e) => e.runId))).to.deep.equal(new Set([id(first), id(third)]));
    expect(lines.some((e) => e.message.includes('2026112700'))).to.equal(false);
    expect(lines.filter((e) => e.message === 'working on 2026112600, attempt 1')).to.have.length(2);
  });

  it("an attempt's lines: exactly those between its start and the next one's, a multi-line message whole", async () => {
    const one = await t.app.logs('logged_flow', { step: 'flaky', runId: id(first), attempt: 1 });
    const two = await t.app.logs('logged_flow', { step: 'flaky', runId: id(first), attempt: 2 });
    expect(one[0].message).to.match(/^attempt 1 started on cluster/);
    expect(one.map((e) => e.message)).to.include('working on 2026112600, attempt 1');
    expect(one.every((e) => e.attempt === 1)).to.equal(true);
    const failure = one.find((e) => e.action === 'run' && e.level === 'ERROR')!;
    expect(failure.message).to.include('first attempt fails\nsecond line of the message');
    expect(two[0].message).to.match(/^attempt 2 started on cluster/);
    expect(two.map((e) => e.message))
      .to.include('working on 2026112600, attempt 2')
      .and.not.include('working on 2026112600, attempt 1');
    const whole = await t.app.logs('logged_flow', { step: 'flaky', runId: id(first) });
    // The retry warning comes after attempt 1's lines and before attempt 2 starts: it is attempt 1's.
    expect(whole.map((e) => e.line)).to.deep.equal([...one, ...two].map((e) => e.line));
  });

  it('tells apart the lines of two runs written in the same millisecond', async () => {
    const runs = [
      { timeperiod: '2026120100', runId: 'mz00000000aaaa' },
      { timeperiod: '2026120200', runId: 'mz00000000bbbb' },
    ];
    // Two runs of the flow logging at once, as --parallel 2 makes them do: their lines alternate.
    const flowLoggers = runs.map((run) => t.app.logs.flowLogger('logged_flow', run));
    const stepLoggers = runs.map((run) => t.app.logs.stepLogger('logged_flow', 'after', { ...run, attempt: 1 }));
    for (const [i, logger] of flowLoggers.entries()) logger.info(`run of timeperiod ${runs[i].timeperiod} started`);
    for (let n = 0; n < 200; n++) for (const [i, logger] of stepLoggers.entries()) logger.info(`line ${n} of ${runs[i].timeperiod}`);
    const mine = await Promise.all(runs.map((run) => t.app.logs('logged_flow', { step: 'after', runId: run.runId })));
    for (const [i, entries] of mine.entries()) {
      expect(entries.map((e) => e.message)).to.deep.equal(Array.from({ length: 200 }, (_, n) => `line ${n} of ${runs[i].timeperiod}`));
      expect(await t.app.logs('logged_flow', { step: 'after', timeperiod: runs[i].timeperiod })).to.deep.equal(entries);
    }
    // Not a vacuous check: lines of both runs share a millisecond (the timestamp cannot tell them apart).
    const times = (entries: (typeof mine)[number]) => new Set(entries.map((e) => e.time.getTime()));
    const [a, b] = mine.map(times);
    expect([...a].some((ms) => b.has(ms))).to.equal(true);
  });

  it('bad input is an error, never an empty answer', async () => {
    await expectRejection(t.app.logs('no_such_flow'), UnknownFlowError, /unknown flow 'no_such_flow'/);
    await expectRejection(t.app.logs('logged_flow', { step: 'flakey' }), UnknownStepError, /did you mean 'flaky'/);
    // A step of another flow is no step of this one.
    await expectRejection(t.app.logs('logged_flow', { step: 'elsewhere' }), UnknownStepError, /flow 'logged_flow' has no step 'elsewhere'/);
    await expectRejection(
      t.app.logs('logged_flow', { timeperiod: '2026112900' }),
      FlowRunNotFoundError,
      /flow 'logged_flow' has never run for timeperiod 2026112900: no line of its log carries it/,
    );
    await expectRejection(t.app.logs('logged_flow', { timeperiod: '2026113' }), InvalidTimeperiodError, /YYYYMMDDHH/);
    await expectRejection(
      t.app.logs('logged_flow', { step: 'after', runId: 'zzzzzzzzzzzzzz' }),
      RunIdNotFoundError,
      /flow 'logged_flow' has no run 'zzzzzzzzzzzzzz' in its log/,
    );
    await expectRejection(t.app.logs('logged_flow', { runId: 'not-a-run-id' }), RunIdNotFoundError, /no run 'not-a-run-id'/);
    // A run of another flow is unknown to this one.
    const [otherRun] = await t.app.logs('other_flow');
    await expectRejection(t.app.logs('logged_flow', { runId: otherRun.runId }), RunIdNotFoundError, /no run/);
    await expectRejection(
      t.app.logs('logged_flow', { runId: id(second), timeperiod: '2026112600' }),
      RunIdNotFoundError,
      new RegExp(`run '${id(second)}' of flow 'logged_flow' is a run of timeperiod 2026112700, not 2026112600`),
    );
    await expectRejection(t.app.logs('logged_flow', { attempt: 1 }), ConfigurationError, /attempt needs a step/);
    await expectRejection(t.app.logs('logged_flow', { step: 'flaky', atempt: 1 } as never), ConfigurationError, /did you mean 'attempt'/);
  });

  it('a step that has not run in a run that did is an empty answer, not an error', async () => {
    const t2 = await createTestingApp({ flows: [LoggedFlow] });
    try {
      const result = await t2.app.runOne('logged_flow', 'flaky', { timeperiod: '2026112600' });
      expect(await t2.app.logs('logged_flow', { step: 'after', runId: result.runId })).to.deep.equal([]);
    } finally {
      await t2.teardown();
    }
  });
});

async function expectRejection(promise: Promise<unknown>, type: new (...args: never[]) => Error, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error, `expected a ${type.name}`).to.be.instanceOf(type);
  expect((error as Error).message).to.match(message);
}
