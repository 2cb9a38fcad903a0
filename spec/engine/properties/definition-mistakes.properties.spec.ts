import { expect } from 'chai';
import * as fc from 'fast-check';
import { FlowDefinitionError, Main, Step, type FlowDefinitionErrorKind } from '../../../src';
import { scanFlows } from '../../../src/metadata/flow-scanner';
import { Behaviour, buildFlow, descendantsOf, flowSpecArbitrary, type FlowSpec } from './random-flow';

/** A step class that no flow lists. */
@Step({ name: 'stray' })
class Stray {
  @Main() run() {}
}

type Mistake = (spec: FlowSpec, pick: number) => FlowSpec;

const at = <T>(items: readonly T[], pick: number) => items[pick % items.length];
const clone = (spec: FlowSpec): FlowSpec => ({ ...spec, steps: spec.steps.map((s) => ({ ...s, deps: [...s.deps] })) });
const changeStep = (spec: FlowSpec, pick: number, change: (step: FlowSpec['steps'][number]) => void) => {
  const copy = clone(spec);
  change(at(copy.steps, pick));
  return copy;
};

/** Every definition mistake (FlowDefinitionError kinds), and the reliability options' own, each a change to a valid flow. */
const MISTAKES: Record<string, Mistake> = {
  // a step depends on itself or on one of its descendants
  cycle: (spec, pick) => {
    const copy = clone(spec);
    const step = at(copy.steps, pick);
    step.deps.push(at([step.name, ...descendantsOf(copy, step.name)], pick >> 3));
    return copy;
  },
  unknownDependency: (spec, pick) => changeStep(spec, pick, (s) => s.deps.push('no_such_step')),
  dependencyOutsideTheFlow: (spec, pick) => changeStep(spec, pick, (s) => s.deps.push(Stray)),
  duplicateName: (spec, pick) => {
    if (spec.steps.length < 2) return changeStep(spec, pick, (s) => (s.name = 'finish'));
    const copy = clone(spec);
    const [a, b] = [pick % copy.steps.length, (pick + 1 + (pick >> 3)) % copy.steps.length];
    const other = a === b ? (a + 1) % copy.steps.length : b;
    const renamed = copy.steps[a].name;
    copy.steps[a].name = copy.steps[other].name;
    for (const s of copy.steps) s.deps = s.deps.filter((d) => d !== renamed);
    return copy;
  },
  reservedName: (spec, pick) => changeStep(spec, pick, (s) => (s.name = at(['start', 'finish'], pick >> 3))),
  nameThatIsNoFileName: (spec, pick) => changeStep(spec, pick, (s) => (s.name = at(['has space', 'a/b', '../up', ''], pick >> 3))),
  noMain: (spec, pick) => changeStep(spec, pick, (s) => (s.mains = 0)),
  twoMains: (spec, pick) => changeStep(spec, pick, (s) => (s.mains = 2)),
  classWithoutStep: (spec, pick) => changeStep(spec, pick, (s) => (s.decorated = false)),
  flowWithoutSteps: (spec) => ({ ...clone(spec), listed: [] }),
  notAClassInTheSteps: (spec, pick) => ({ ...clone(spec), listed: [at([undefined, 'step_0', 42], pick)] }),
  badRetryOption: (spec, pick) =>
    changeStep(spec, pick, (s) => {
      s.options = at(
        [
          { retries: -1 },
          { retries: 1.5 },
          { retries: '3' },
          { retryDelayMs: -10 },
          { maxRetryDelayMs: Number.NaN },
          { backoff: 'linear' },
          { nonRetryableErrors: ['TypeError'] },
        ],
        pick >> 3,
      );
    }),
  badTimeout: (spec, pick) =>
    changeStep(spec, pick, (s) => (s.options = { timeoutMs: at([0, -5, Number.POSITIVE_INFINITY, '1m', 2 ** 31], pick >> 3) })),
};

/** The kind each mistake is reported as (a cycle through the step itself is a self-dependency, a lone step renamed is a reserved name). */
const KINDS: Record<keyof typeof MISTAKES, readonly FlowDefinitionErrorKind[]> = {
  cycle: ['cycle', 'self-dependency'],
  unknownDependency: ['unknown-dependency'],
  dependencyOutsideTheFlow: ['unknown-dependency'],
  duplicateName: ['duplicate-step', 'reserved-name'],
  reservedName: ['reserved-name'],
  nameThatIsNoFileName: ['invalid-name'],
  noMain: ['no-main'],
  twoMains: ['two-mains'],
  classWithoutStep: ['not-a-step'],
  flowWithoutSteps: ['no-steps'],
  notAClassInTheSteps: ['not-a-class'],
  badRetryOption: ['invalid-options'],
  badTimeout: ['invalid-options'],
};

describe('engine/properties: definition mistakes', function () {
  this.timeout(60_000);

  it('every generated valid flow is accepted, and the same flow with any one mistake is rejected with a FlowDefinitionError naming it', () => {
    fc.assert(
      fc.property(flowSpecArbitrary(60), fc.constantFrom(...Object.keys(MISTAKES)), fc.nat(), (spec, kind, pick) => {
        const behaviour = new Behaviour();
        const valid = scanFlows([buildFlow(spec, behaviour)]).get(spec.name)!;
        expect(valid.graph.steps).to.have.length(spec.steps.length);

        const broken = MISTAKES[kind](spec, pick);
        let error: unknown;
        try {
          scanFlows([buildFlow(broken, behaviour)]);
        } catch (err) {
          error = err;
        }
        expect(error, `${kind} was accepted`).to.be.instanceOf(FlowDefinitionError);
        expect((error as Error).message, kind).to.include(`'${spec.name}'`);
        expect((error as FlowDefinitionError).kind, kind).to.be.oneOf(KINDS[kind]);
        expect((error as FlowDefinitionError).flow, kind).to.equal(spec.name);
        expect((error as FlowDefinitionError).code, kind).to.equal('ERR_SYNERGY_FLOW_DEFINITION');
      }),
      { numRuns: 300 },
    );
  });
});
