import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { CliSandbox, GATED_ENTRY } from './support/cli-sandbox';
import { TmuxTerminal } from './support/tmux-terminal';
import { requireSystemTool, TMUX } from '../support/system-tool';

/**
 * A step's error holding what a terminal obeys: clear the screen, retitle the window, write the
 * clipboard (OSC 52), the C1 form of CSI (U+009B), a lone CR that writes over the line, DEL.
 */
const HOSTILE = 'bad rows\x1b[2J\x1b]0;PWNED-TITLE\x07\x1b]52;c;UFdORUQ=\x07\u009b31mred\rCR-overwrite\x7f end of a long message';
/** The same, as a person should see it: every control character by its code. */
const SHOWN = 'bad rows\\x1b[2J\\x1b]0;PWNED-TITLE\\x07\\x1b]52;c;UFdORUQ=\\x07\\x9b31mred\\x0dCR-overwrite\\x7f end of a long message';
/** In a log file, the CR broke the line (an indented continuation line, see continuation-lines.ts). */
const SHOWN_IN_LOG = SHOWN.replace('\\x0d', '\n\t');
/** Any control character a terminal acts on, but a newline and a tab. */
// eslint-disable-next-line no-control-regex -- the control characters the output must not hold
const LIVE_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

const TIMEPERIOD = '2026112600';

describe('cli: what a step or a command wrote cannot drive the terminal', () => {
  describe('through stdout and stderr', () => {
    let sandbox: CliSandbox;
    let run: Awaited<ReturnType<CliSandbox['run']>>;
    before(async () => {
      sandbox = new CliSandbox();
      for (const step of ['extract', 'transform', 'load']) sandbox.open(step);
      sandbox.open('audit', `fail ${HOSTILE}`);
      run = await sandbox.run(['run', 'gated', '-t', TIMEPERIOD], { entry: GATED_ENTRY });
    });
    after(() => sandbox.cleanup());

    const cli = (...args: string[]) => sandbox.run(args, { entry: GATED_ENTRY });
    const expectInert = (output: string, what: string, shown = SHOWN) => {
      expect(output, what).to.not.match(LIVE_CONTROL);
      expect(output, what).to.include(shown);
    };

    it("run's progress lines and its table show the error inert", () => {
      expect(run.code).to.equal(1);
      expectInert(run.stdout, 'run');
      expect(run.stdout).to.match(/ audit invalid after [\d.]+s \[2\/4, 1 failed\]: Error: bad rows\\x1b\[2J/);
    });

    it('status and history cut the error column after making it inert, so the columns stay aligned', async () => {
      const status = await cli('status', 'gated', '-t', TIMEPERIOD);
      expect(status.stdout).to.not.match(LIVE_CONTROL);
      const audit = status.stdout.split('\n').find((line) => line.startsWith('audit '))!;
      expect(audit).to.include('Error: bad rows\\x1b[2J\\x1b]0;PWNED-TITLE\\x07\\x1b]52;c;UFdORUQ=\\x07\\x9b31mred\\x0dCR-ov');
      expect(audit).to.match(/…$/);
      const header = status.stdout.split('\n')[1];
      expect(audit.indexOf('Error: ')).to.equal(header.indexOf('ERROR'));

      const history = await cli('history', 'gated', '-t', TIMEPERIOD);
      const runId = history.stdout.split('\n')[1].split(/\s+/)[0];
      const attempts = await cli('history', 'gated', '--run', runId);
      expect(attempts.code).to.equal(0);
      expect(attempts.stdout).to.not.match(LIVE_CONTROL);
      expect(attempts.stdout).to.include('Error: bad rows\\x1b[2J');
    });

    it('--json stays exact JSON: the error as it was, no control character raw', async () => {
      const status = await cli('status', 'gated', '-t', TIMEPERIOD, '--json');
      expect(status.stdout).to.not.match(LIVE_CONTROL);
      const audit = (JSON.parse(status.stdout) as { steps: Array<{ stepName: string; error: string }> }).steps.find(
        (s) => s.stepName === 'audit',
      )!;
      expect(audit.error).to.equal(`Error: ${HOSTILE}`);
    });

    it("logs off a terminal writes the log as it is stored: the whole file byte for byte, one run's lines and the last ones with their control characters", async () => {
      const stored = fs.readFileSync(path.join(sandbox.dir, 'logs', 'gated', 'audit.log'));
      expect(stored.toString(), 'the log holds the raw text').to.include(HOSTILE.split('\r')[0]);
      const whole = await cli('logs', 'gated', 'audit');
      expect(whole.code).to.equal(0);
      expect(whole.stdout, 'logs | ... is the file as it is').to.equal(stored.toString());
      for (const args of [
        ['-t', TIMEPERIOD],
        ['-n', '3'],
      ]) {
        const logs = await cli('logs', 'gated', 'audit', ...args);
        expect(logs.code, args.join(' ')).to.equal(0);
        expect(logs.stdout, args.join(' ')).to.include(HOSTILE.split('\r')[0]).and.not.include('\\x1b');
      }
    });

    it('logs > file: the file is a byte-for-byte copy of the log', async () => {
      const copy = path.join(sandbox.dir, 'copy.log');
      const fd = fs.openSync(copy, 'w');
      try {
        const child = spawn(process.execPath, [GATED_ENTRY, 'logs', 'gated', 'audit'], {
          cwd: sandbox.dir,
          env: sandbox.env(),
          stdio: ['ignore', fd, 'inherit'],
        });
        expect(await new Promise((resolve) => child.on('close', resolve))).to.equal(0);
      } finally {
        fs.closeSync(fd);
      }
      expect(fs.readFileSync(copy).equals(fs.readFileSync(path.join(sandbox.dir, 'logs', 'gated', 'audit.log')))).to.equal(true);
    });

    it('an error on stderr is inert too', async () => {
      const { stderr } = await cli('logs', 'gated', `no\x1b]0;PWNED-TITLE\x07step`);
      expect(stderr).to.include('no\\x1b]0;PWNED-TITLE\\x07step').and.not.match(LIVE_CONTROL);
    });
  });

  describe('in a real terminal (tmux)', () => {
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

    it("the live view shows the error as text: the window's title, the screen and the clipboard are untouched", async () => {
      for (const step of ['extract', 'transform', 'load']) sandbox.open(step);
      sandbox.open('audit', `fail ${HOSTILE}`);
      terminal = new TmuxTerminal([process.execPath, GATED_ENTRY, 'run', 'gated', '-t', TIMEPERIOD], {
        cwd: sandbox.dir,
        env: { SYNERGY_GATES: sandbox.gates, TMPDIR: sandbox.tmp },
        width: 200,
      });
      const title = terminal.title();
      await terminal.waitFor('the command to end', () => terminal.exitStatus() !== null);
      expect(terminal.title()).to.equal(title).and.not.include('PWNED');
      expect(terminal.clipboard()).to.equal(undefined);
      const end = terminal.screen();
      expect(end).to.match(/^  ✖ audit  invalid after [\d.]+s: Error: bad rows\\x1b\[2J\\x1b\]0;PWNED-TITLE\\x07/m);
      // Not cleared: the view's other lines are still there above the summary.
      expect(end).to.match(/^  ✔ extract  processed in [\d.]+s$/m);
    });

    it("logs on a terminal shows the log inert: the whole file, one run's lines and the last ones leave the title, the screen and the clipboard alone", async () => {
      for (const step of ['extract', 'transform', 'load']) sandbox.open(step);
      sandbox.open('audit', `fail ${HOSTILE}`);
      expect((await sandbox.run(['run', 'gated', '-t', TIMEPERIOD], { entry: GATED_ENTRY })).code).to.equal(1);
      const logs = (...args: string[]) => [process.execPath, GATED_ENTRY, 'logs', 'gated', 'audit', ...args].map((a) => `'${a}'`).join(' ');
      terminal = new TmuxTerminal(['sh', '-c', `${logs()} && ${logs('-t', TIMEPERIOD)} && ${logs('-n', '3')}`], {
        cwd: sandbox.dir,
        env: { SYNERGY_GATES: sandbox.gates, TMPDIR: sandbox.tmp },
        width: 250,
      });
      const title = terminal.title();
      await terminal.waitFor('the commands to end', () => terminal.exitStatus() !== null);
      expect(terminal.exitStatus()).to.equal(0);
      expect(terminal.title()).to.equal(title).and.not.include('PWNED');
      expect(terminal.clipboard()).to.equal(undefined);
      // Each command showed every copy of the error its output has, as text: nothing cleared the screen between them.
      const stored = fs.readFileSync(path.join(sandbox.dir, 'logs', 'gated', 'audit.log'), 'utf8');
      const copies = (text: string, error: string) => text.split(error).length - 1;
      const raw = `Error: ${HOSTILE.split('\r')[0]}`;
      const last3 = stored.trimEnd().split('\n').slice(-3).join('\n');
      expect(copies(stored, raw)).to.be.above(0);
      expect(copies(terminal.screen(), SHOWN_IN_LOG.split('\n')[0])).to.equal(2 * copies(stored, raw) + copies(last3, raw));
    });
  });
});
