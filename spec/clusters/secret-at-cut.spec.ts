import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Flow, LocalCluster, Main, Step, type StepContext } from '../../src';
import { OutputLineSplitter } from '../../src/clusters/output-line.splitter';
import { createRedactor } from '../../src/logging/redaction';
import { createTestingApp } from '../../src/testing';
import { recordingLogger } from '../support/recording-logger';

const SECRET = 'hUnT/c+Secret/Key+0123456789abcdefABCDEF';
const env = { THE_SECRET: SECRET };

/** Every piece of 6 characters of the secret: what a cut may leave of it. */
function expectNoPiece(what: string, text: string): void {
  for (let i = 0; i + 6 <= SECRET.length; i++)
    expect(text, `${what} holds ${SECRET.slice(i, i + 6)}`).not.to.include(SECRET.slice(i, i + 6));
}

@Step({ name: 'long_line' })
class LongLine {
  @Main() async run(ctx: StepContext) {
    // A stdout line whose 64 KiB cut falls 20 characters into the secret.
    await ctx.cluster.runCommand(['node', '-e', "process.stdout.write('x'.repeat(65536 - 20) + process.env.THE_SECRET + '\\n')"], { env });
  }
}

@Step({ name: 'long_stderr' })
class LongStderr {
  @Main() async run(ctx: StepContext) {
    // A failure whose stderr tail (its last 4096 characters) starts 20 characters into the secret.
    await ctx.cluster.runCommand(
      ['node', '-e', "process.stderr.write('A'.repeat(100) + process.env.THE_SECRET + 'B'.repeat(4096 - 20) + '\\n'); process.exit(1)"],
      { env },
    );
  }
}

@Flow({ name: 'cut_flow', steps: [LongLine, LongStderr] })
class CutFlow {}

describe('clusters: a secret across the cut of a long output line or of the stderr tail', () => {
  it('leaves no piece of it in the step log, the error column or the events', async () => {
    const t = await createTestingApp({ flows: [CutFlow], credentials: { key: SECRET } });
    try {
      await t.app.runOne('cut_flow', 'long_line', { timeperiod: '2026112600' });
      const result = await t.app.runOne('cut_flow', 'long_stderr', { timeperiod: '2026112600' });
      expect(result.state).to.equal('invalid');
      const lineLog = fs.readFileSync(path.join(t.logDirectory, 'cut_flow', 'long_line.log'), 'utf8');
      expect(lineLog).to.match(/x{100}\*\*\* \[cut 20 bytes\]\n/);
      expectNoPiece('the long line log', lineLog);

      const step = (await t.app.status('cut_flow', '2026112600')).steps.find((s) => s.stepName === 'long_stderr')!;
      expect(step.error).to.match(/\[stderr tail cut: 120 earlier characters left out\] \*\*\*B{100}/);
      expectNoPiece('the error column', step.error!);
      expectNoPiece('the stderr step log', fs.readFileSync(path.join(t.logDirectory, 'cut_flow', 'long_stderr.log'), 'utf8'));
      expectNoPiece('the flow log', fs.readFileSync(path.join(t.logDirectory, 'cut_flow', 'cut_flow.log'), 'utf8'));
      expectNoPiece('the events', JSON.stringify(t.events));
    } finally {
      await t.teardown();
    }
  });

  it('cuts a line between characters, not inside one, so a secret with an accent cut there is masked too', async () => {
    const lines: string[] = [];
    const splitter = new OutputLineSplitter((line) => lines.push(line), 10);
    // 'ä' takes bytes 10 and 11: the cut at 10 bytes falls inside it.
    splitter.push(Buffer.from('abcdefghiä-rest\n'));
    expect(lines).to.deep.equal(['abcdefghi [cut 7 bytes]']);

    const logger = recordingLogger();
    const accented = 'Geheimnisä-0123456789';
    const cluster = new LocalCluster('local-1');
    await cluster.runCommand(['node', '-e', `process.stdout.write('x'.repeat(65536 - 10) + ${JSON.stringify(accented)} + '\\n')`], {
      logger,
    });
    const line = logger.lines.find((l) => l.includes('[cut'))!;
    // The line ends on whole characters, so the redactor (the step's logger's) finds the secret's start.
    expect(line).to.match(/xGeheimnis \[cut 13 bytes\]$/);
    expect(createRedactor([accented])(line)).to.match(/x\*\*\* \[cut 13 bytes\]$/);
  });
});
