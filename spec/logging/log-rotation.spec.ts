import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bootstrap, ConfigurationError, Flow, Main, Step, type StepContext } from '../../src';
import { tailRunLogs } from '../../src/logging/run-log-tail.query';
import { createTestingApp, type TestingApp } from '../../src/testing';

const LINES = 400;
/** A header line (the start of an entry): every rotated file must start with one. */
const HEADER = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} \S+ (DEBUG|INFO|WARN|ERROR) \[/;

/** Logs LINES numbered lines of different lengths, every tenth a message of three lines. */
@Step({ name: 'chatty' })
class Chatty {
  @Main() run(ctx: StepContext) {
    for (let i = 0; i < LINES; i++) {
      const text = `line ${String(i).padStart(4, '0')} ${'x'.repeat((i * 37) % 90)}`;
      ctx.logger.info(i % 10 === 0 ? `${text}\n  continued ${i}\n  end ${i}` : text);
    }
  }
}

@Flow({ name: 'rotating', steps: [Chatty] })
class RotatingFlow {}

/** `chatty.log.<n>` ... `chatty.log.1`, `chatty.log`: the step's files, oldest first. */
function stepFiles(t: TestingApp): string[] {
  const dir = path.join(t.logDirectory, 'rotating');
  const rotated = fs
    .readdirSync(dir)
    .filter((f) => /^chatty\.log\.\d+$/.test(f))
    .sort((a, b) => Number(b.split('.').at(-1)) - Number(a.split('.').at(-1)));
  return [...rotated, 'chatty.log'].map((f) => path.join(dir, f));
}

/** The numbers of the `line NNNN` messages in the text, in order. */
function numbers(text: string): number[] {
  return [...text.matchAll(/\bline (\d{4})\b/g)].map((m) => Number(m[1]));
}

describe('logging: log files rotate by size', () => {
  it('past maxFileBytes, <step>.log becomes .log.1 (.1 becomes .2...): no line lost, none split across files', async () => {
    const t = await createTestingApp({ flows: [RotatingFlow], logs: { maxFileBytes: 4096, keepFiles: 50 } });
    try {
      const { runId } = await t.app.run('rotating', { timeperiod: '2026112600' });
      const files = stepFiles(t);
      expect(files.length).to.be.above(5);
      const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
      for (const [i, text] of texts.entries()) {
        expect(Buffer.byteLength(text), files[i]).to.be.at.most(4096);
        expect(text, `${files[i]} starts with a whole line`).to.match(HEADER);
        expect(text.endsWith('\n'), `${files[i]} ends with a whole line`).to.equal(true);
      }
      const all = texts.join('');
      expect(numbers(all)).to.deep.equal(Array.from({ length: LINES }, (_, i) => i));
      // A multi-line message's next lines behind a tab (continuation-lines.ts); read back without it below.
      for (let i = 0; i < LINES; i += 10) expect(all).to.include(`\n\t  continued ${i}\n\t  end ${i}\n`);

      // app.logs reads the rotated files too, oldest first.
      const entries = await t.app.logs('rotating', { step: 'chatty', runId });
      expect(numbers(entries.map((e) => e.message).join('\n'))).to.deep.equal(Array.from({ length: LINES }, (_, i) => i));
      expect(entries.find((e) => e.message.startsWith('line 0010'))!.message).to.match(/\n {2}continued 10\n {2}end 10$/);
    } finally {
      await t.teardown();
    }
  });

  it('keeps keepFiles rotated files, the newest lines: a second run rotates on from where the first left off', async () => {
    const t = await createTestingApp({ flows: [RotatingFlow], logs: { maxFileBytes: 4096, keepFiles: 2 } });
    try {
      await t.app.run('rotating', { timeperiod: '2026112600' });
      const second = await t.app.run('rotating', { timeperiod: '2026112700' });
      const files = stepFiles(t);
      expect(files.map((f) => path.basename(f))).to.deep.equal(['chatty.log.2', 'chatty.log.1', 'chatty.log']);
      const kept = numbers(files.map((f) => fs.readFileSync(f, 'utf8')).join(''));
      // The tail of the second run's lines, in order, without a gap.
      expect(kept.at(-1)).to.equal(LINES - 1);
      expect(kept).to.deep.equal(Array.from({ length: kept.length }, (_, i) => LINES - kept.length + i));
      for (const f of files) expect(fs.statSync(f).size).to.be.at.most(4096);
      const entries = await t.app.logs('rotating', { step: 'chatty', runId: second.runId });
      expect(numbers(entries.map((e) => e.message).join('\n'))).to.deep.equal(kept);
    } finally {
      await t.teardown();
    }
  });

  it("an attempt longer than keepFiles rotations keeps its lines: app.logs --attempt and the viewer's read show them after its `attempt 1 started` is rotated out", async () => {
    const t = await createTestingApp({ flows: [RotatingFlow], logs: { maxFileBytes: 4096, keepFiles: 2 } });
    try {
      const { runId } = await t.app.run('rotating', { timeperiod: '2026112600' });
      const files = stepFiles(t);
      const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
      expect(texts.join('')).to.not.include('attempt 1 started');
      const kept = numbers(texts.join(''));
      expect(kept.at(-1)).to.equal(LINES - 1);

      const ofRun = await t.app.logs('rotating', { step: 'chatty', runId });
      // the viewer's log pane asks for the run's latest attempt, within maxBytes: every line left of the run is that attempt's
      const query = { step: 'chatty', runId, attempt: 1 };
      const tail = await tailRunLogs(t.app.logs, t.app.definition('rotating'), query, { maxBytes: 64 * 1024 });
      expect(tail.text).to.equal(ofRun.map((e) => `${e.line}\n`).join(''));
      expect(tail.exists).to.equal(true);

      const ofAttempt = await t.app.logs('rotating', { step: 'chatty', runId, attempt: 1 });
      expect(ofAttempt.map((e) => e.line)).to.deep.equal(ofRun.map((e) => e.line));
      expect(numbers(ofAttempt.map((e) => e.message).join('\n'))).to.deep.equal(kept);
      expect(ofAttempt.at(-1)!.message).to.match(/^processed in /);
      expect(await t.app.logs('rotating', { step: 'chatty', runId, attempt: 2 })).to.deep.equal([]);
      // each file a rotation opened starts by saying which attempt goes on in it
      for (const text of texts)
        expect(text).to.match(new RegExp(`^\\S+ chatty INFO \\[2026112600#${runId}\\] attempt 1 continues \\(the log rotated\\)\n`));
    } finally {
      await t.teardown();
    }
  });

  it('wrong logs options: one ConfigurationError naming each, before anything is written', async () => {
    const logDirectory = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-rotation-')), 'logs');
    try {
      const error = await bootstrap({
        flows: [RotatingFlow],
        logDirectory,
        logs: { maxFileBytes: 10, keepFiles: 0, format: 'xml', maxFiles: 3 } as never,
      }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).to.be.instanceOf(ConfigurationError);
      const problems = (error as ConfigurationError).problems.map((p) => `${p.path}: ${p.message}`);
      expect(problems).to.have.length(4);
      expect(problems).to.include.members([
        "logs.format: must be 'text' or 'json'",
        'logs.maxFileBytes: must be a whole number of bytes from 1024 to 9007199254740991, got 10',
        'logs.keepFiles: must be a whole number from 1 to 1000, got 0',
        'logs.maxFiles: unknown option; the known options are format, maxFileBytes, keepFiles',
      ]);
      expect(fs.existsSync(logDirectory)).to.equal(false);
    } finally {
      fs.rmSync(path.dirname(logDirectory), { recursive: true, force: true });
    }
  });
});
