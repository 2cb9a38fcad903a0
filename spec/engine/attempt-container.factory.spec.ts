import 'reflect-metadata';
import { expect } from 'chai';
import { container as rootContainer, injectable, Lifecycle } from 'tsyringe';
import { DependsOn, Flow, Main, Post, Step, type Action, type StepContext } from '../../src';
import { createTestingApp } from '../../src/testing';

/**
 * Each attempt's child container now hangs off one container per run, and step classes are
 * registered on the child itself (see AttemptContainerFactory). What users can observe of tsyringe
 * must be as before: their own registrations win, scoped lifecycles keep their scope.
 */
describe('engine: the container of each step attempt', () => {
  it("resolves the application's own registration of a step class, when it made one", async () => {
    const ran: string[] = [];
    @Step({ name: 'real' })
    class Real {
      @Main() run() {
        ran.push('real');
      }
    }
    class Replacement extends Real {
      override run() {
        ran.push('replacement');
      }
    }
    @Step({ name: 'other' })
    @DependsOn(Real)
    class Other {
      @Main() run() {
        ran.push('other');
      }
    }
    @Flow({ name: 'overridden', steps: [Real, Other] })
    class Overridden {}

    const app = rootContainer.createChildContainer();
    app.register(Real, { useClass: Replacement });
    const t = await createTestingApp({ flows: [Overridden], container: app });
    try {
      const result = await t.app.run('overridden', { timeperiod: '2026112600' });
      expect(result.state).to.equal('processed');
      expect(ran).to.deep.equal(['replacement', 'other']);
    } finally {
      await t.teardown();
    }
  });

  it('a ContainerScoped service is one instance per attempt, shared by the step and its actions', async () => {
    let next = 0;
    @injectable()
    class Session {
      readonly id = ++next;
    }
    const seen: Array<{ step: string; attempt: number; by: string; session: number }> = [];

    @injectable()
    class Recorder implements Action {
      constructor(private readonly session: Session) {}
      run(ctx: StepContext) {
        seen.push({ step: ctx.stepName, attempt: ctx.attempt, by: 'action', session: this.session.id });
      }
    }
    const stepClass = (name: string, failFirst: boolean) => {
      @Step({ name, retries: 1, retryDelayMs: 1 })
      @Main(Recorder)
      class S {
        constructor(private readonly session: Session) {}

        /** The step's own view of the session. */
        @Post() check(ctx: StepContext) {
          seen.push({ step: ctx.stepName, attempt: ctx.attempt, by: 'step', session: this.session.id });
          if (failFirst && ctx.attempt === 1) throw new Error('first attempt fails');
        }
      }
      return S;
    };
    const A = stepClass('a', true);
    const B = stepClass('b', false);
    @Flow({ name: 'scoped', steps: [A, B] })
    class Scoped {}

    const app = rootContainer.createChildContainer();
    app.register(Session, { useClass: Session }, { lifecycle: Lifecycle.ContainerScoped });
    const t = await createTestingApp({ flows: [Scoped], container: app });
    try {
      const result = await t.app.run('scoped', { timeperiod: '2026112600' });
      expect(result.state).to.equal('processed');
    } finally {
      await t.teardown();
    }
    const attempts = new Map<string, Set<number>>();
    for (const s of seen) {
      const key = `${s.step}#${s.attempt}`;
      attempts.set(key, (attempts.get(key) ?? new Set()).add(s.session));
    }
    // a#1 (failed), a#2 and b#1: each saw exactly one session, and no two attempts shared one
    expect([...attempts.keys()].sort()).to.deep.equal(['a#1', 'a#2', 'b#1']);
    for (const sessions of attempts.values()) expect(sessions.size).to.equal(1);
    expect(new Set([...attempts.values()].map((s) => [...s][0])).size).to.equal(3);
    expect(seen.filter((s) => s.by === 'action')).to.have.length(3);
  });
});
