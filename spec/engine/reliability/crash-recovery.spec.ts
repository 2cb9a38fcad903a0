import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { ChildEngine, readHistory, readRun, statesOf } from './child-engine';

describe('engine/reliability: kill -9 mid-flow, then recover from a new process', function () {
  this.timeout(60_000);
  let workDir: string;

  beforeEach(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-crash-'));
  });

  afterEach(() => fs.rmSync(workDir, { recursive: true, force: true }));

  it('processes every step, and re-runs none that was processed before the crash', async () => {
    // s1 -> s2 -> (s3 | s4) -> s5 -> s6: killed while s3 hangs and s4 is processed
    const crashed = new ChildEngine('crash_flow', 'run', workDir, 'polite');
    await crashed.until(
      's4 processed while s3 runs',
      () =>
        crashed.saw({ type: 'step', stepName: 's4', state: 'processed' }) &&
        crashed.saw({ type: 'action', stepName: 's3', state: 'started' }),
    );
    crashed.kill('SIGKILL');
    expect(await crashed.exited).to.include({ signal: 'SIGKILL' });

    const db = path.join(workDir, 'state.db');
    const afterCrash = readRun(db, 'crash_flow');
    expect(afterCrash.flow, 'nobody recorded an end').to.equal('in_progress');
    expect(statesOf(afterCrash)).to.deep.equal({
      s1: 'processed',
      s2: 'processed',
      s3: 'in_progress',
      s4: 'processed',
      s5: 'embryo',
      s6: 'embryo',
    });
    const processedBefore = Object.entries(afterCrash.steps)
      .filter(([, s]) => s.state === 'processed')
      .map(([name]) => name);

    const recoverStarted = performance.now();
    const recover = new ChildEngine('crash_flow', 'recover', workDir, 'none');
    expect(await recover.exited, recover.stderr).to.include({ code: 0 });
    console.log(`      (recover in a new process, start to exit: ${(performance.now() - recoverStarted).toFixed(0)} ms)`);
    const recovered = readRun(db, 'crash_flow');
    expect(recovered.flow).to.equal('processed');
    expect(Object.values(statesOf(recovered))).to.deep.equal(Array(6).fill('processed'));

    const ledger = fs
      .readFileSync(path.join(workDir, 'ledger'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' '));
    const reRun = ledger.filter(([, pid]) => Number(pid) === recover.pid).map(([step]) => step);
    expect(
      reRun.filter((step) => processedBefore.includes(step)),
      'processed steps are not run again',
    ).to.deep.equal([]);
    expect(reRun.sort(), 'the rest run exactly once, the zombie s3 included').to.deep.equal(['s3', 's5', 's6']);
    // the recovering engine took the zombie over: s3 started from a fresh attempt
    expect(recovered.steps.s3.attempt).to.equal(1);

    // History: the killed run ends invalid (nobody will record its end), its running attempt with it;
    // the recovery is a run of its own, with an attempt for each step it ran.
    const history = readHistory(db, 'crash_flow');
    expect(history.map((r) => `${r.run_mode} ${r.state} ${r.pid}`)).to.deep.equal([
      `run invalid ${crashed.pid}`,
      `recover processed ${recover.pid}`,
    ]);
    expect(history[0].error).to.match(/its engine stopped before recording how the run ended/);
    expect(history[0].attempts.filter((a) => a.startsWith('s3 '))).to.deep.equal(['s3 invalid']);
    expect(history[1].attempts).to.deep.equal(['s3 processed', 's5 processed', 's6 processed']);
  });
});
