import { expect } from 'chai';
import { StepState } from '../../src/domain/states';
import { attemptEnd } from '../../src/engine/attempt-end';
import { ATTEMPT_IDS_PER_RUN, IN_FLIGHT_OFFSET } from '../../src/persistence/history/attempt-ids';
import type { StepAttemptEntity } from '../../src/persistence/step-attempt.entity';
import { runningAttempt } from '../persistence/fixtures/attempt-row';

const FIRST = 7 * ATTEMPT_IDS_PER_RUN;

function runOf(attemptCount = 0) {
  return {
    context: { runId: 'mj9x3k2a000001' } as never,
    firstAttemptId: FIRST,
    attemptCount,
    attempts: new Map<string, StepAttemptEntity>(),
  };
}

function running(stepName: string): StepAttemptEntity {
  return runningAttempt({ runId: 'mj9x3k2a000001', timeperiod: '2026120500', stepName });
}

const ENDED = { state: StepState.PROCESSED, finishedAt: new Date(), error: null };

describe('engine/attemptEnd: the id of an attempt row', () => {
  it("is the next of its run's range, in the order the attempts end; the run forgets the attempt", () => {
    const run = runOf();
    const [a, b] = [running('a'), running('b')];
    run.attempts.set('a', a).set('b', b);
    attemptEnd(run, b, ENDED);
    attemptEnd(run, a, ENDED);
    expect([b.id, a.id]).to.deep.equal([FIRST, FIRST + 1]);
    expect(run.attempts.size).to.equal(0);
  });

  it('stays what it was for an attempt ended already (its row is inserted once)', () => {
    const run = runOf();
    const a = running('a');
    attemptEnd(run, a, ENDED);
    Object.assign(a, ENDED);
    attemptEnd(run, a, ENDED);
    expect(a.id).to.equal(FIRST);
    expect(run.attemptCount).to.equal(1);
  });

  it('is refused, with the run named, past the ids a run has: those above are for attempts recorded after its engine stopped', () => {
    const run = runOf(IN_FLIGHT_OFFSET - 1);
    const last = running('a');
    attemptEnd(run, last, ENDED);
    expect(last.id).to.equal(FIRST + IN_FLIGHT_OFFSET - 1);
    expect(() => attemptEnd(run, running('b'), ENDED)).to.throw(/run mj9x3k2a000001 ended more than 2097152 attempts/);
  });
});
