import { expect } from 'chai';
import { Subject } from 'rxjs';
import type { FlowEvent } from '../../../src';
import { FlowGraph, FlowState, StepState } from '../../../src';
import { LineProgressView } from '../../../src/cli/progress/line-progress.view';
import { RunProgress } from '../../../src/cli/progress/run-progress';

const graph = new FlowGraph([
  { name: 'fetch', dependsOn: [] },
  { name: 'load', dependsOn: ['fetch'] },
  { name: 'report', dependsOn: ['load'] },
]);
const base = { flowName: 'etl', timeperiod: '2026112600', runId: 'mj9x3k2a000001' };
const T0 = new Date(2026, 10, 26, 7, 0, 0).getTime();

/** The line view fed the events an engine emits, one line per state change. */
describe('cli line progress', () => {
  function view(toRun: string[], persisted = new Map<string, StepState>()) {
    const events = new Subject<FlowEvent>();
    const progress = new RunProgress('etl', '2026112600', 'recover', graph, new Set(toRun), persisted).attach(events);
    const lines: string[] = [];
    const v = new LineProgressView(progress, (l) => lines.push(l));
    v.start();
    return { events, progress, lines };
  }

  it('announces kept steps, retries, attempts and the tally, and settles what never ran', async () => {
    const { events, progress, lines } = view(['load', 'report'], new Map([['fetch', StepState.PROCESSED]]));
    const step = (stepName: string, state: StepState, at: number, extra: object = {}) =>
      events.next({ ...base, type: 'step', stepName, state, attempt: 1, at: T0 + at, ...extra });
    events.next({ ...base, type: 'flow', state: FlowState.IN_PROGRESS, runMode: 'recover', at: T0 });
    step('load', StepState.IN_PROGRESS, 10, { cluster: 'local-1' });
    events.next({ ...base, type: 'retry', stepName: 'load', attempt: 1, delayMs: 250, error: 'Error: timeout', at: T0 + 20 });
    step('load', StepState.IN_PROGRESS, 300, { attempt: 2, cluster: 'local-1' });
    step('load', StepState.PROCESSED, 1500, { attempt: 2 });
    step('report', StepState.IN_PROGRESS, 1510, { cluster: 'local-2' });
    step('report', StepState.INVALID, 1600, { error: 'Error: disk full' });
    events.next({ ...base, type: 'flow', state: FlowState.INVALID, runMode: 'recover', at: T0 + 1700 });
    expect(lines).to.deep.equal([
      '07:00:00 etl 2026112600 recover started: 2 steps to run, 1 kept',
      '07:00:00 etl 2026112600 load in_progress on local-1',
      '07:00:00 etl 2026112600 load attempt 1 failed, retrying in 0.25s: Error: timeout',
      '07:00:00 etl 2026112600 load in_progress (attempt 2) on local-1',
      '07:00:01 etl 2026112600 load processed in 1.20s (attempt 2) [1/2]',
      '07:00:01 etl 2026112600 report in_progress on local-2',
      '07:00:01 etl 2026112600 report invalid after 0.09s [1/2, 1 failed]: Error: disk full',
      '07:00:01 etl 2026112600 recover ended invalid: 1/2 done, 1 failed',
    ]);
    expect((await progress.settled('fetch')).phase).to.equal('kept');
  });

  it('ignores other runs, and finish() settles the steps that never started', async () => {
    const { events, progress, lines } = view(['fetch', 'load', 'report']);
    events.next({ ...base, timeperiod: '2026112700', type: 'step', stepName: 'fetch', state: StepState.IN_PROGRESS, attempt: 1, at: T0 });
    expect(lines).to.deep.equal([]);
    const settled = progress.settled('report');
    progress.finish({
      flowName: 'etl',
      timeperiod: '2026112600',
      runId: 'mj9x3k2a000001',
      state: FlowState.INVALID,
      steps: {},
      error: 'no cluster could be launched',
    });
    expect((await settled).phase).to.equal('not_run');
    expect(progress.error).to.equal('no cluster could be launched');
  });

  describe('a large run off a terminal (steps: problems, with a tally)', () => {
    const chain = new FlowGraph(Array.from({ length: 6 }, (_, i) => ({ name: `s${i}`, dependsOn: i ? [`s${i - 1}`] : [] })));

    function largeView() {
      const events = new Subject<FlowEvent>();
      const names = chain.topologicalOrder();
      const progress = new RunProgress('etl', '2026112600', 'run', chain, new Set(names), new Map()).attach(events);
      const lines: string[] = [];
      new LineProgressView(progress, (l) => lines.push(l), { steps: 'problems', tallyEveryMs: 10_000 }).start();
      const step = (stepName: string, state: StepState, at: number, extra: object = {}) =>
        events.next({ ...base, type: 'step', stepName, state, attempt: 1, at: T0 + at, ...extra });
      return { events, lines, step };
    }

    it('writes failures and retries as they happen, and a tally when a step settles 10 s or more after the last line', () => {
      const { events, lines, step } = largeView();
      events.next({ ...base, type: 'flow', state: FlowState.IN_PROGRESS, runMode: 'run', at: T0 });
      step('s0', StepState.IN_PROGRESS, 0);
      step('s0', StepState.PROCESSED, 4_000);
      step('s1', StepState.IN_PROGRESS, 4_000);
      step('s1', StepState.PROCESSED, 10_500);
      step('s2', StepState.IN_PROGRESS, 10_500);
      events.next({ ...base, type: 'retry', stepName: 's2', attempt: 1, delayMs: 1000, error: 'Error: throttled', at: T0 + 11_000 });
      step('s2', StepState.IN_PROGRESS, 12_000, { attempt: 2 });
      step('s2', StepState.PROCESSED, 15_000, { attempt: 2 });
      step('s3', StepState.IN_PROGRESS, 15_000);
      step('s3', StepState.PROCESSED, 21_000);
      step('s4', StepState.IN_PROGRESS, 21_000);
      step('s4', StepState.INVALID, 22_000, { error: 'Error: no such table' });
      step('s5', StepState.IN_PROGRESS, 22_000);
      step('s5', StepState.PROCESSED, 31_999);
      events.next({ ...base, type: 'flow', state: FlowState.INVALID, runMode: 'run', at: T0 + 32_000 });
      expect(lines).to.deep.equal([
        '07:00:00 etl 2026112600 run started: 6 steps to run (a line per failure or retry, progress at most every 10s)',
        '07:00:10 etl 2026112600 progress: 2/6 done, 0 running',
        '07:00:11 etl 2026112600 s2 attempt 1 failed, retrying in 1.00s: Error: throttled',
        '07:00:21 etl 2026112600 progress: 4/6 done, 0 running',
        '07:00:22 etl 2026112600 s4 invalid after 1.00s [4/6, 1 failed]: Error: no such table',
        '07:00:32 etl 2026112600 run ended invalid: 5/6 done, 1 failed',
      ]);
    });
  });
});
