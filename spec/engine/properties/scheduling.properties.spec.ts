import { expect } from 'chai';
import * as fc from 'fast-check';
import { FlowState, StepState, type FlowEvent } from '../../../src';
import { createTestingApp } from '../../../src/testing';
import { maxInFlight } from '../../support/in-flight';
import { Behaviour, buildFlow, descendantsOf, flowSpecArbitrary, type FlowSpec } from './random-flow';

const TP = '2026112600';
/** Modest on purpose: each run executes a real flow of up to 200 steps on SQLite, twice. */
const NUM_RUNS = Number(process.env.SYNERGY_PROPERTY_RUNS ?? 25);

interface Scenario {
  spec: FlowSpec;
  clusters: number;
  failFast: boolean;
  /** Cancel the run once this many steps are processed (never, if larger than the flow). */
  cancelAfter: number | null;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  spec: flowSpecArbitrary(200),
  clusters: fc.integer({ min: 1, max: 8 }),
  failFast: fc.boolean(),
  cancelAfter: fc.option(fc.nat({ max: 60 }), { freq: 4 }),
});

const stepEvents = (events: readonly FlowEvent[]) => events.filter((e): e is Extract<FlowEvent, { type: 'step' }> => e.type === 'step');

describe('engine/properties: random DAGs of up to 200 steps, random failures, retries, clusters and cancels', function () {
  this.timeout(Math.max(120_000, NUM_RUNS * 2_000));

  it('scheduling, in-flight limit, recorded states and recover hold for every generated flow', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ spec, clusters, failFast, cancelAfter }) => {
        const behaviour = new Behaviour();
        const t = await createTestingApp({ flows: [buildFlow(spec, behaviour)], cluster: { type: 'local', count: clusters } });
        try {
          // cancel from the events, at a random point of the run
          let processed = 0;
          const cancelling = t.app.events$.subscribe((e) => {
            if (e.type === 'step' && e.state === StepState.PROCESSED && ++processed === cancelAfter) t.app.cancel(spec.name, TP);
          });
          const result = await t.app.run(spec.name, { timeperiod: TP, failFast });
          cancelling.unsubscribe();
          const runEvents = [...t.events];
          const { flow, steps } = await t.app.status(spec.name, TP);
          const rows = new Map(steps.map((s) => [s.stepName, s]));
          const deps = new Map(spec.steps.map((s) => [s.name, s.deps as string[]]));

          // 1. no step starts before all its dependencies are processed: in event order and in the database
          const seen = new Set<string>();
          for (const e of stepEvents(runEvents)) {
            if (e.state === StepState.IN_PROGRESS) {
              for (const dep of deps.get(e.stepName)!)
                expect(seen.has(dep), `${e.stepName} started before ${dep} was processed`).to.equal(true);
            }
            if (e.state === StepState.PROCESSED) seen.add(e.stepName);
          }
          for (const [name, row] of rows) {
            if (row.startedAt === null) continue;
            for (const dep of deps.get(name)!) expect(row.startedAt.getTime()).to.be.at.least(rows.get(dep)!.finishedAt!.getTime());
          }

          // 2. in flight never exceeds the clusters
          expect(maxInFlight(runEvents)).to.be.at.most(clusters);
          expect(behaviour.maxRunning).to.be.at.most(clusters);

          // 3. whatever happened, no step is left in_progress, and the flow's state follows from its steps'
          expect([...rows.values()].filter((s) => s.state === StepState.IN_PROGRESS).map((s) => s.stepName)).to.deep.equal([]);
          const failedSteps = [...rows.values()].filter((s) => s.state === StepState.INVALID || s.state === StepState.CANCELED);
          const allProcessed = [...rows.values()].every((s) => s.state === StepState.PROCESSED);
          expect(flow.state).to.equal(result.state);
          expect(flow.state).to.equal(allProcessed ? FlowState.PROCESSED : FlowState.INVALID);
          if (failedSteps.length) expect(flow.state).to.equal(FlowState.INVALID);
          // attempts: a processed step took its failures + 1 attempts, an invalid one all its retries
          for (const s of spec.steps) {
            const row = rows.get(s.name)!;
            if (row.state === StepState.PROCESSED) expect(row.attempt, s.name).to.equal(s.failures + 1);
            if (row.state === StepState.INVALID) expect(row.attempt, s.name).to.equal(s.retries + 1);
          }
          // without fail-fast nor cancel, the outcome is fully determined by the failures and retries
          if (!failFast && !(cancelAfter !== null && cancelAfter > 0 && cancelAfter <= spec.steps.length)) {
            const failing = spec.steps.filter((s) => s.failures > s.retries).map((s) => s.name);
            const blocked = new Set(failing.flatMap((name) => [...descendantsOf(spec, name)]));
            for (const s of spec.steps) {
              const expected = blocked.has(s.name) ? StepState.EMBRYO : failing.includes(s.name) ? StepState.INVALID : StepState.PROCESSED;
              expect(rows.get(s.name)!.state, s.name).to.equal(expected);
            }
          }

          // 4. recover after the fix: every step ends processed, each one's work done exactly once in all,
          //    and no step processed by the run starts again
          const processedByRun = new Set([...rows.values()].filter((s) => s.state === StepState.PROCESSED).map((s) => s.stepName));
          behaviour.healed = true;
          const recovered = await t.app.recover(spec.name, { timeperiod: TP });
          expect(recovered.state).to.equal(FlowState.PROCESSED);
          const restarted = stepEvents(t.events.slice(runEvents.length)).filter(
            (e) => e.state === StepState.IN_PROGRESS && processedByRun.has(e.stepName),
          );
          expect(restarted.map((e) => e.stepName)).to.deep.equal([]);
          for (const s of spec.steps) expect(behaviour.successes.get(s.name), s.name).to.equal(1);
        } finally {
          await t.teardown();
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
