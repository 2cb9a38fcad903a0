import { expect } from 'chai';
import * as fc from 'fast-check';
import { Subject } from 'rxjs';
import type { FlowEvent } from '../../../src';
import { FlowGraph, FlowState, StepState } from '../../../src';
import { RunProgress, type StepProgress } from '../../../src/cli/progress/run-progress';

const STEPS = ['a', 'b', 'c', 'd', 'e'];
const graph = new FlowGraph(STEPS.map((name, i) => ({ name, dependsOn: i ? [STEPS[i - 1]] : [] })));
const base = { flowName: 'etl', timeperiod: '2026112600', runId: 'mj9x3k2a000001', at: 0 };

/** What counts() must say, recounted from every step's phase. */
function recount(steps: StepProgress[]) {
  const inRun = steps.filter((s) => s.phase !== 'kept');
  const of = (...phases: string[]) => inRun.filter((s) => phases.includes(s.phase)).length;
  return {
    total: inRun.length,
    done: of('processed', 'noop'),
    failed: of('invalid'),
    canceled: of('canceled'),
    running: of('running', 'retrying'),
    kept: steps.length - inRun.length,
  };
}

const stepEvent: fc.Arbitrary<FlowEvent> = fc.oneof(
  fc
    .record({
      stepName: fc.constantFrom(...STEPS, 'not_a_step'),
      state: fc.constantFrom(...Object.values(StepState)),
      attempt: fc.integer({ min: 1, max: 3 }),
    })
    .map((e) => ({ ...base, type: 'step' as const, ...e })),
  fc.record({ stepName: fc.constantFrom(...STEPS), attempt: fc.integer({ min: 1, max: 3 }) }).map((e) => ({
    ...base,
    type: 'retry' as const,
    delayMs: 10,
    error: 'Error: flaky',
    ...e,
  })),
);

/**
 * The tally the line and terminal views print with every change ([done/total, failed]) is kept
 * as steps move, not recounted: a recount at each of a run's ~2 changes per step made the CLI's
 * progress cost O(steps^2) (an eighth of a cold 1,000-step run's CPU in one profile).
 */
describe('cli run progress counts', () => {
  it('match a recount of the steps after any sequence of events, and after finish()', () => {
    fc.assert(
      fc.property(fc.subarray(STEPS), fc.array(stepEvent, { maxLength: 30 }), fc.boolean(), (toRun, events, ended) => {
        const subject = new Subject<FlowEvent>();
        const progress = new RunProgress('etl', '2026112600', 'recover', graph, new Set(toRun), new Map()).attach(subject);
        for (const event of events) {
          subject.next(event);
          expect(progress.counts()).to.deep.equal(recount(progress.all()));
        }
        if (ended) {
          progress.finish(undefined, 'stopped');
          expect(progress.counts()).to.deep.equal(recount(progress.all()));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('count a whole run: every step done at the end, none running', () => {
    const subject = new Subject<FlowEvent>();
    const progress = new RunProgress('etl', '2026112600', 'run', graph, new Set(STEPS), new Map()).attach(subject);
    subject.next({ ...base, type: 'flow', state: FlowState.IN_PROGRESS, runMode: 'run' });
    for (const stepName of STEPS) {
      subject.next({ ...base, type: 'step', stepName, state: StepState.IN_PROGRESS, attempt: 1 });
      expect(progress.counts().running).to.equal(1);
      subject.next({ ...base, type: 'step', stepName, state: StepState.PROCESSED, attempt: 1 });
    }
    expect(progress.counts()).to.deep.equal({ total: 5, done: 5, failed: 0, canceled: 0, running: 0, kept: 0 });
  });
});
