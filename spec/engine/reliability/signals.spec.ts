import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { ChildEngine, readHistory, readRun, statesOf } from './child-engine';
import { isRunning, pidsIn, survivors } from './process-probe';

/** `<step> <pid>` lines the child engines wrote, as [step, pid] pairs. */
const ledger = (workDir: string): Array<[string, number]> =>
  fs
    .readFileSync(path.join(workDir, 'ledger'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [step, pid] = line.split(' ');
      return [step, Number(pid)];
    });

const scratchDirs = (workDir: string) => fs.readdirSync(workDir).filter((name) => name.startsWith('scratch-'));

/** Starts signal_flow and resolves once both long steps are inside their main action (the shell's pids written). */
async function startLongRun(
  workDir: string,
  hang: 'polite' | 'stubborn',
  graceMs?: number,
): Promise<{ engine: ChildEngine; pids: number[] }> {
  const engine = new ChildEngine('signal_flow', 'run', workDir, hang, graceMs);
  await engine.until('js_wait running', () => engine.saw({ type: 'action', stepName: 'js_wait', actionName: 'run', state: 'started' }));
  const pids = await pidsIn(path.join(workDir, 'pids'), 2);
  expect(pids.filter(isRunning), 'the shell command and its child run').to.have.length(2);
  return { engine, pids };
}

describe('engine/reliability: SIGINT and SIGTERM to an engine process', function () {
  this.timeout(60_000);
  let workDir: string;

  beforeEach(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-signals-'));
  });

  afterEach(() => fs.rmSync(workDir, { recursive: true, force: true }));

  it('SIGTERM: stops scheduling, aborts the running actions, records every state, kills the commands, exits 143; recover completes', async () => {
    // A grace period far longer than the bound: a loaded machine's slowness cannot pass for waiting it out.
    const { engine, pids } = await startLongRun(workDir, 'polite', 120_000);
    const signalledAt = engine.kill('SIGTERM');
    const exit = await engine.exited;
    expect(exit).to.include({ code: 143, signal: null });
    expect(exit.at - signalledAt, 'every action obeys its signal: no need to wait the 120 s grace period').to.be.below(20_000);
    console.log(`      (SIGTERM to exit 143: ${(exit.at - signalledAt).toFixed(0)} ms)`);
    expect(engine.stderr).to.match(/synergy-flow: SIGTERM received: cancelling 1 flow run\(s\), waiting up to 120000 ms/);
    expect(engine.saw({ type: 'result' }), 'the caller of app.run() never went on to print its result').to.equal(false);

    const run = readRun(path.join(workDir, 'state.db'), 'signal_flow');
    expect(run.flow).to.equal('invalid');
    expect(statesOf(run)).to.deep.equal({ extract: 'processed', shell_wait: 'canceled', js_wait: 'canceled', report: 'embryo' });
    expect(run.steps.js_wait.error).to.equal(
      "FlowCancelledError: flow 'signal_flow' for timeperiod 2026112600 was cancelled: SIGTERM received",
    );
    expect(await survivors(pids), 'no orphan child processes').to.deep.equal([]);
    expect(scratchDirs(workDir), 'cleanup ran').to.deep.equal([]);
    expect(ledger(workDir).map(([step]) => step)).to.include.members(['cleanup:shell_wait', 'cleanup:js_wait']);
    const flowLog = fs.readFileSync(path.join(workDir, 'logs/signal_flow/signal_flow.log'), 'utf8');
    expect(flowLog)
      .to.match(/cluster local-1 terminated/)
      .and.to.match(/cluster local-2 terminated/);

    const recover = new ChildEngine('signal_flow', 'recover', workDir, 'none');
    expect(await recover.exited, recover.stderr).to.include({ code: 0 });
    const recovered = readRun(path.join(workDir, 'state.db'), 'signal_flow');
    expect(recovered.flow).to.equal('processed');
    expect(statesOf(recovered)).to.deep.equal({ extract: 'processed', shell_wait: 'processed', js_wait: 'processed', report: 'processed' });
    const mains = ledger(workDir).filter(([step]) => !step.startsWith('cleanup:'));
    expect(mains.filter(([, pid]) => pid === recover.pid).map(([step]) => step)).to.have.members(['shell_wait', 'js_wait', 'report']);
    expect(mains.filter(([step]) => step === 'extract')).to.have.length(1);
  });

  it('SIGINT: an action that ignores its signal gets the grace period, then the step is recorded canceled and the engine exits 130', async () => {
    const graceMs = 800;
    const { engine, pids } = await startLongRun(workDir, 'stubborn', graceMs);
    const signalledAt = engine.kill('SIGINT');
    const exit = await engine.exited;
    expect(exit).to.include({ code: 130, signal: null });
    expect(exit.at - signalledAt)
      .to.be.at.least(graceMs)
      .and.below(graceMs + 4_000);
    console.log(`      (SIGINT to exit 130 with an ${graceMs} ms grace period: ${(exit.at - signalledAt).toFixed(0)} ms)`);

    const run = readRun(path.join(workDir, 'state.db'), 'signal_flow');
    expect(run.flow).to.equal('invalid');
    expect(statesOf(run)).to.deep.equal({ extract: 'processed', shell_wait: 'canceled', js_wait: 'canceled', report: 'embryo' });
    expect(await survivors(pids)).to.deep.equal([]);
    // the hung action used up the grace period; its synchronous cleanup still ran
    expect(scratchDirs(workDir)).to.deep.equal([]);
  });

  it('a second signal stops waiting: the steps still running are recorded canceled and the engine exits at once', async () => {
    const { engine, pids } = await startLongRun(workDir, 'stubborn', 120_000);
    engine.kill('SIGTERM');
    await engine.until('the shutdown notice', () => engine.stderr.includes('SIGTERM received'));
    const secondAt = engine.kill('SIGTERM');
    const exit = await engine.exited;
    expect(exit).to.include({ code: 143, signal: null });
    expect(exit.at - secondAt, 'the second signal does not wait the 120 s grace period').to.be.below(20_000);
    console.log(`      (second SIGTERM to exit 143: ${(exit.at - secondAt).toFixed(0)} ms)`);
    expect(engine.stderr).to.include('stopping at once');

    const run = readRun(path.join(workDir, 'state.db'), 'signal_flow');
    expect(run.flow).to.equal('invalid');
    expect(statesOf(run)).to.deep.equal({ extract: 'processed', shell_wait: 'canceled', js_wait: 'canceled', report: 'embryo' });
    expect(run.steps.js_wait.error).to.equal('SIGTERM received, the engine stopped before the step did');
    // The forced stop finished the run's history too: the run invalid, the attempts it left running canceled.
    const [history] = readHistory(path.join(workDir, 'state.db'), 'signal_flow');
    expect(history).to.include({ state: 'invalid', error: 'SIGTERM received, the engine stopped before the step did' });
    expect(history.attempts.slice().sort()).to.deep.equal(['extract processed', 'js_wait canceled', 'shell_wait canceled']);
    const errorOf = Object.fromEntries(history.attempts.map((attempt, i) => [attempt.split(' ')[0], history.attemptErrors[i]]));
    expect(errorOf.extract).to.equal(null);
    // js_wait ignores its signal: only the forced stop ends it. shell_wait's command may end on the first
    // signal's cancel, before the second signal comes: then its attempt says the run was cancelled.
    expect(errorOf.js_wait).to.equal('SIGTERM received, the engine stopped before the step did');
    expect(errorOf.shell_wait).to.be.oneOf([
      'SIGTERM received, the engine stopped before the step did',
      "FlowCancelledError: flow 'signal_flow' for timeperiod 2026112600 was cancelled: SIGTERM received",
    ]);
    expect(await survivors(pids)).to.deep.equal([]);
  });
});
