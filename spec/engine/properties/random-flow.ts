import * as fc from 'fast-check';
import { DependsOn, Flow, Main, Step, type StepContext, type Type } from '../../../src';

/** How a generated step's main action finishes: at once, after a microtask, or after an event-loop turn. */
export type Pace = 'sync' | 'microtask' | 'immediate';

/** A step as plain data, so that a property can state its expectations and a mistake can be injected before it is built. */
export interface StepSpec {
  name: string;
  /** Names of earlier steps, or a class that is not part of the flow. */
  deps: Array<string | Type>;
  /** Class references or names in @DependsOn (both must work). */
  depsAsClasses: boolean;
  retries: number;
  /** The first `failures` calls of its main action throw (across runs, until `healed`). */
  failures: number;
  pace: Pace;
  /** Default 1. */
  mains?: number;
  /** Default true: decorated with @Step. */
  decorated?: boolean;
  /** Extra @Step options (a definition mistake may put a bad one here). */
  options?: Record<string, unknown>;
}

export interface FlowSpec {
  name: string;
  steps: StepSpec[];
  /** The order the steps are listed in @Flow: a permutation of their indices. */
  order: number[];
  /** Replaces the @Flow steps list (a definition mistake may). */
  listed?: unknown[];
}

/** What the generated main actions did; shared by every step of the flows a Behaviour builds. */
export class Behaviour {
  /** Calls of each step's main action, across attempts and runs. */
  readonly calls = new Map<string, number>();
  /** Calls that returned normally: a step's work done. */
  readonly successes = new Map<string, number>();
  /** From now on no main action fails (a fix deployed before recover). */
  healed = false;
  private running = 0;
  maxRunning = 0;

  async main(step: StepSpec, _ctx: StepContext): Promise<void> {
    const call = (this.calls.get(step.name) ?? 0) + 1;
    this.calls.set(step.name, call);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      if (step.pace === 'microtask') await Promise.resolve();
      if (step.pace === 'immediate') await new Promise<void>((resolve) => setImmediate(resolve));
      if (!this.healed && call <= step.failures) throw new Error(`${step.name} fails on call ${call}`);
      this.successes.set(step.name, (this.successes.get(step.name) ?? 0) + 1);
    } finally {
      this.running--;
    }
  }
}

/** Builds real decorated classes from a FlowSpec, exactly as a user would write them. */
export function buildFlow(spec: FlowSpec, behaviour: Behaviour): Type {
  const classes = spec.steps.map((step) => {
    const StepClass = class {
      run(ctx: StepContext) {
        return behaviour.main(step, ctx);
      }
      also(ctx: StepContext) {
        return behaviour.main(step, ctx);
      }
    };
    Object.defineProperty(StepClass, 'name', { value: `Step_${step.name.replace(/\W/g, '_')}` });
    for (const method of ['run', 'also'].slice(0, step.mains ?? 1)) {
      Main()(StepClass.prototype, method, Object.getOwnPropertyDescriptor(StepClass.prototype, method)!);
    }
    return StepClass;
  });
  const byName = new Map(spec.steps.map((step, i) => [step.name, classes[i]]));
  spec.steps.forEach((step, i) => {
    const StepClass = classes[i];
    const deps = step.deps.map((d) => (typeof d === 'string' && step.depsAsClasses ? (byName.get(d) ?? d) : d));
    if (deps.length) DependsOn(...deps)(StepClass);
    if (step.decorated ?? true) Step({ name: step.name, retries: step.retries, ...step.options })(StepClass);
  });
  const FlowClass = class {};
  Object.defineProperty(FlowClass, 'name', { value: `Flow_${spec.name}` });
  const listed = spec.listed ?? spec.order.map((i) => classes[i]);
  Flow({ name: spec.name, steps: listed as Type[] })(FlowClass);
  return FlowClass;
}

let flowCounter = 0;

/**
 * A random valid DAG of 1..maxSteps steps: each step depends on up to three earlier ones; at the
 * flow's failure rate (0, 1, 3 or 10 %) a step fails one to three times, maybe within its retries.
 */
export function flowSpecArbitrary(maxSteps: number): fc.Arbitrary<FlowSpec> {
  const step = fc.record({
    rawDeps: fc.uniqueArray(fc.nat(), { maxLength: 3 }),
    depsAsClasses: fc.boolean(),
    retries: fc.integer({ min: 0, max: 2 }),
    roll: fc.integer({ min: 0, max: 99 }),
    failures: fc.integer({ min: 1, max: 3 }),
    pace: fc.constantFrom<Pace>('sync', 'microtask', 'immediate'),
    sortKey: fc.nat(),
  });
  // a flow-wide failure rate, so that big flows are not all stopped by their first failure
  const failurePercent = fc.constantFrom(0, 1, 3, 10);
  return fc.tuple(fc.array(step, { minLength: 1, maxLength: maxSteps, size: 'max' }), failurePercent).map(([raw, percent]) => {
    const steps: StepSpec[] = raw.map((s, i) => ({
      name: `step_${i}`,
      deps: i === 0 ? [] : [...new Set(s.rawDeps.map((d) => d % i))].map((d) => `step_${d}`),
      depsAsClasses: s.depsAsClasses,
      retries: s.retries,
      failures: s.roll < percent ? s.failures : 0,
      pace: s.pace,
    }));
    const order = raw
      .map((s, i) => [s.sortKey, i])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map(([, i]) => i);
    return { name: `random_flow_${++flowCounter}`, steps, order };
  });
}

/** Every step that transitively depends on `name`. */
export function descendantsOf(spec: FlowSpec, name: string): Set<string> {
  const found = new Set<string>();
  const visit = (n: string) => {
    for (const s of spec.steps) {
      if (s.deps.includes(n) && !found.has(s.name)) {
        found.add(s.name);
        visit(s.name);
      }
    }
  };
  visit(name);
  return found;
}
