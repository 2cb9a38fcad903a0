import { expect } from 'chai';
import { CliSandbox, GATED_ENTRY } from './support/cli-sandbox';
import { TmuxTerminal } from './support/tmux-terminal';
import { requireSystemTool, TMUX } from '../support/system-tool';

const SPINNER = '[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]';
const line = (screen: string, pattern: RegExp) => screen.split('\n').find((l) => pattern.test(l));

describe('cli live progress on a terminal', () => {
  let sandbox: CliSandbox;
  let terminal: TmuxTerminal;
  before(function () {
    requireSystemTool(this, TMUX);
  });
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => {
    terminal?.close();
    sandbox.cleanup();
  });

  it('redraws in place: spinners for running steps, waiting ones still, done/total, the clock, the failing step and its error', async () => {
    terminal = new TmuxTerminal([process.execPath, GATED_ENTRY, 'run', 'gated', '-t', '2026112600'], {
      cwd: sandbox.dir,
      env: { SYNERGY_GATES: sandbox.gates, TMPDIR: sandbox.tmp },
    });

    // Each picture is waited for as a whole: the view redraws every 100 ms, the engine moves on its own.
    const first = await terminal.waitFor('extract running, the others waiting', (s) =>
      [
        new RegExp(`^  ${SPINNER} extract  running [\\d.]+s on local-\\d$`, 'm'),
        /^❯ gated 2026112600 run: 1 running · 0\/4 done · [\d.]+s$/m,
        /^  ◼ transform  waiting for extract$/m,
        /^  ◼ audit  waiting for extract$/m,
        /^  ◼ load  waiting for transform$/m,
      ].every((p) => p.test(s)),
    );
    // It is live: the spinner turns and the clock runs while nothing else changes.
    const spinnerNow = line(first, / extract  running/);
    await terminal.waitFor('the spinner turning', (s) => line(s, / extract  running/)?.[2] !== spinnerNow?.[2]);

    sandbox.open('extract');
    await terminal.waitFor('extract processed, transform and audit running', (s) =>
      [
        /^  ✔ extract  processed in [\d.]+s$/m,
        new RegExp(`^  ${SPINNER} transform  running`, 'm'),
        new RegExp(`^  ${SPINNER} audit  running`, 'm'),
        /^  ◼ load  waiting for transform$/m,
        /^❯ gated 2026112600 run: 2 running · 1\/4 done · /m,
      ].every((p) => p.test(s)),
    );

    sandbox.open('transform');
    await terminal.waitFor('load running', (s) => / load {2}running/.test(s));
    sandbox.open('audit', 'fail audit found 3 bad rows');
    await terminal.waitFor('audit failed with its error, load still running', (s) =>
      [
        /^  ✖ audit  invalid after [\d.]+s: Error: audit found 3 bad rows$/m,
        new RegExp(`^  ${SPINNER} load  running`, 'm'),
        /^❯ gated 2026112600 run: 1 running · 2\/4 done · 1 failed · /m,
      ].every((p) => p.test(s)),
    );

    sandbox.open('load');
    await terminal.waitFor('the command to end', () => terminal.exitStatus() !== null);
    expect(terminal.exitStatus()).to.equal(1);
    const end = terminal.screen();
    expect(end).to.match(/^⚠ gated 2026112600 run: invalid · 3\/4 done · 1 failed · [\d.]+s$/m);
    for (const step of ['extract', 'transform', 'load']) expect(end).to.match(new RegExp(`^  ✔ ${step}  processed in [\\d.]+s$`, 'm'));
    expect(end).to.match(/^gated 2026112600 run: invalid in [\d.]+s \(3\/4 done, 1 failed\)$/m);
    expect(end).to.match(/^fix the cause, then: node \S+gated-entry\.js recover gated -t 2026112600$/m);
    // Redrawn in place: the final picture is there once, not a trail of frames.
    expect(end.match(/✔ extract/g)).to.have.length(1);
    expect(end).not.to.match(/in_progress/);

    expect(sandbox.steps('gated', '2026112600').map((s) => [s.step_name, s.state])).to.deep.equal([
      ['extract', 'processed'],
      ['transform', 'processed'],
      ['audit', 'invalid'],
      ['load', 'processed'],
    ]);
  });

  it('backfill: a line per period, spinners for the ones running, the queued ones still', async () => {
    terminal = new TmuxTerminal(
      [process.execPath, GATED_ENTRY, 'backfill', 'gated', '--from', '2026113000', '--to', '2026120200', '--parallel', '2'],
      {
        cwd: sandbox.dir,
        env: { SYNERGY_GATES: sandbox.gates, TMPDIR: sandbox.tmp },
      },
    );
    await terminal.waitFor('two periods running, one queued', (s) =>
      [
        /^❯ backfill gated 2026113000\.\.2026120200 \(daily\): 0\/3 periods done · 2 at a time · [\d.]+s$/m,
        new RegExp(`^  ${SPINNER} 2026113000  run · 0/4 steps · running extract · [\\d.]+s$`, 'm'),
        new RegExp(`^  ${SPINNER} 2026120100  run · 0/4 steps · running extract · [\\d.]+s$`, 'm'),
        /^  ◼ 2026120200  queued to run$/m,
      ].every((p) => p.test(s)),
    );
    for (const step of ['extract', 'transform', 'audit', 'load']) sandbox.open(step);
    await terminal.waitFor('the command to end', () => terminal.exitStatus() !== null);
    expect(terminal.exitStatus()).to.equal(0);
    const end = terminal.screen();
    expect(end).to.match(/^✔ backfill gated 2026113000\.\.2026120200 \(daily\): 3\/3 periods done · 2 at a time · [\d.]+s$/m);
    for (const tp of ['2026113000', '2026120100', '2026120200'])
      expect(end).to.match(new RegExp(`^  ✔ ${tp}  run: processed in [\\d.]+s$`, 'm'));
    expect(end).to.match(
      /^backfill gated 2026113000\.\.2026120200 \(daily, 3 periods\): 3 processed, 0 not \(3 run, 0 recovered, 0 skipped\) in [\d.]+s$/m,
    );
  });

  it('Ctrl-C: the app cancels and exits 130, the view leaves its last frame and gives the cursor back', async () => {
    terminal = new TmuxTerminal([process.execPath, GATED_ENTRY, 'run', 'gated', '-t', '2026112600'], {
      cwd: sandbox.dir,
      env: { SYNERGY_GATES: sandbox.gates, TMPDIR: sandbox.tmp },
      holdOpen: true,
    });
    await terminal.waitFor('extract running', (s) => new RegExp(`^  ${SPINNER} extract  running`, 'm').test(s));
    expect(terminal.cursorVisible(), 'the cursor while the view runs').to.equal(false);
    terminal.press('C-c');
    await terminal.waitFor('the command to end', () => terminal.exitStatus() !== null);
    expect(terminal.exitStatus()).to.equal(130);
    const end = terminal.screen();
    expect(end).to.match(/^  ✖ extract  canceled after [\d.]+s: FlowCancelledError: /m);
    expect(end).to.match(/^  ◼ load  waiting for transform$/m);
    // What the app wrote to stderr while the view held the screen is not lost.
    expect(end).to.match(/SIGINT received/);
    expect(terminal.cursorVisible(), 'the cursor after the exit').to.equal(true);
    expect(sandbox.steps('gated', '2026112600')[0]).to.include({ step_name: 'extract', state: 'canceled' });
  });
});
