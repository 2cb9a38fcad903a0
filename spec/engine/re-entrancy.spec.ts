import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { inject, injectable } from 'tsyringe';
import {
  CLUSTER,
  DependsOn,
  Flow,
  Main,
  Post,
  Pre,
  STEP_CONTEXT,
  STEP_LOGGER,
  Step,
  StepContext,
  type Action,
  type Cluster,
  type Logger,
} from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';

/** What each instance saw, keyed by a unique instance number. */
const seen: Array<{ instance: number; step: string; timeperiod: string; phase: string; attempt: number }> = [];
const disposed: number[] = [];
let counter = 0;

@injectable()
class Warehouse {
  readonly id = ++counter;
  loads: string[] = [];
  dispose() {
    disposed.push(this.id);
  }
}

@injectable()
class RecordingAction implements Action<{ tag: string }> {
  readonly id = ++counter;
  run(ctx: StepContext, args: { tag: string }) {
    seen.push({
      instance: this.id,
      step: `${ctx.stepName}:${args.tag}`,
      timeperiod: ctx.timeperiod,
      phase: 'action',
      attempt: ctx.attempt,
    });
  }
}

const stepClass = (name: string) => {
  @Step({ name })
  @Pre(RecordingAction, { tag: 'class-pre' })
  class S {
    readonly id = ++counter;
    private tempPath?: string;

    constructor(
      readonly warehouse: Warehouse,
      readonly ctx: StepContext,
      @inject(STEP_CONTEXT) readonly byToken: StepContext,
      @inject(STEP_LOGGER) readonly logger: Logger,
      @inject(CLUSTER) readonly cluster: Cluster,
    ) {}

    @Pre() prepare(ctx: StepContext) {
      this.tempPath = `/tmp/${ctx.stepName}/${ctx.timeperiod}`;
      seen.push({ instance: this.id, step: ctx.stepName, timeperiod: ctx.timeperiod, phase: 'pre', attempt: ctx.attempt });
    }

    @Main() async run(ctx: StepContext) {
      expect(this.ctx).to.equal(this.byToken);
      expect(this.ctx.stepName).to.equal(ctx.stepName);
      expect(this.cluster.name).to.match(/^local-\d$/);
      this.logger.info('injected logger works');
      this.warehouse.loads.push(ctx.timeperiod);
      await delay(20);
      // concurrent steps and timeperiods run now; our own instance state must be untouched
      expect(this.warehouse.loads).to.deep.equal([ctx.timeperiod]);
      seen.push({ instance: this.id, step: ctx.stepName, timeperiod: ctx.timeperiod, phase: 'main', attempt: ctx.attempt });
    }

    @Post() verify(ctx: StepContext) {
      // pre and post of one execution share the instance: `this` carries state across them
      expect(this.tempPath).to.equal(`/tmp/${ctx.stepName}/${ctx.timeperiod}`);
      seen.push({ instance: this.id, step: ctx.stepName, timeperiod: ctx.timeperiod, phase: 'post', attempt: ctx.attempt });
    }
  }
  return S;
};

const A = stepClass('a');
const B = stepClass('b');
const C = stepClass('c');
DependsOn(A)(C);

@Flow({ name: 'reentrant', steps: [A, B, C] })
class Reentrant {}

describe('engine/re-entrancy: a fresh instance per execution', () => {
  let t: TestingApp;

  beforeEach(async () => {
    seen.length = 0;
    disposed.length = 0;
    t = await createTestingApp({ flows: [Reentrant] });
  });

  afterEach(() => t.teardown());

  it('never shares step, action or dependency instances across steps, runs or concurrent timeperiods', async () => {
    const results = await Promise.all(
      ['2026112600', '2026112700', '2026112800'].map((timeperiod) => t.app.run('reentrant', { timeperiod, clusters: 2 })),
    );
    for (const r of results) expect(r.state).to.equal('processed');
    await t.app.run('reentrant', { timeperiod: '2026112600' });

    const steps = seen.filter((s) => s.phase !== 'action');
    // 4 runs x 3 steps, each with pre, main and post on one instance
    const executions = new Map<number, Set<string>>();
    for (const s of steps) executions.set(s.instance, new Set([...(executions.get(s.instance) ?? []), `${s.step}@${s.timeperiod}`]));
    expect(executions.size).to.equal(12);
    for (const owners of executions.values()) expect(owners.size, 'an instance served two executions').to.equal(1);
    for (const instance of executions.keys())
      expect(steps.filter((s) => s.instance === instance).map((s) => s.phase)).to.deep.equal(['pre', 'main', 'post']);

    const actions = seen.filter((s) => s.phase === 'action');
    expect(actions).to.have.length(12);
    expect(new Set(actions.map((a) => a.instance)).size).to.equal(12);
  });

  it('disposes every execution child container, disposing what it created', async () => {
    await t.app.run('reentrant', { timeperiod: '2026112600' });
    // one Warehouse per step execution, each disposed with its child container
    expect(disposed).to.have.length(3);
    expect(new Set(disposed).size).to.equal(3);
  });
});
