import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClusterError, Flow, LocalCluster, Main, Step, type StepContext } from '../../src';
import { createTestingApp } from '../../src/testing';
import { recordingLogger } from '../support/recording-logger';

const MAX_LINE = 64 * 1024;

@Step({ name: 'noisy' })
class Noisy {
  @Main() async run(ctx: StepContext) {
    // A 5 MB stderr line without a newline, then a failure.
    await ctx.cluster.runShellCommand(`head -c 5000000 /dev/zero | tr '\\0' e >&2; exit 1`);
  }
}

@Flow({ name: 'noisy_flow', steps: [Noisy] })
class NoisyFlow {}

describe('clusters: what is kept of a command output', () => {
  const cluster = new LocalCluster('local-1');

  it('keeps a last line that has no newline, on stdout and stderr, and shows the right stderr tail', async () => {
    const logger = recordingLogger();
    const ok = await cluster.runShellCommand(`printf 'one\\ntwo'; printf 'warn\\nlast warning' >&2`, { logger });
    expect(ok.stdout).to.equal('one\ntwo');
    expect(logger.lines.filter((l) => l.startsWith('INFO'))).to.deep.equal(['INFO one', 'INFO two']);
    expect(logger.lines.filter((l) => l.startsWith('WARN'))).to.deep.equal(['WARN warn', 'WARN last warning']);

    const error = await cluster.runShellCommand(`printf 'first\\nthe real cause' >&2; exit 4`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ClusterError);
    expect((error as ClusterError).details.stderrTail).to.equal('first\nthe real cause');
    expect((error as ClusterError).message).to.match(/exited with code 4 .*; stderr ends with:\nfirst\nthe real cause$/);
  });

  it('logs a 5 MB line without a newline cut at 64 KiB with a mark saying how much was cut, and keeps stdout bounded', async () => {
    const logger = recordingLogger();
    const result = await cluster.runShellCommand(`head -c 5000000 /dev/zero | tr '\\0' x; echo; echo after`, { logger });
    const [long, after] = logger.lines;
    expect(long).to.equal(`INFO ${'x'.repeat(MAX_LINE)} [cut ${5_000_000 - MAX_LINE} bytes]`);
    expect(after).to.equal('INFO after');
    expect(result.stdout.length).to.be.below(MAX_LINE + 100);
    expect(result.stdout).to.match(/ \[cut 4934464 bytes\]\nafter\n$/);
  });

  it('keeps at most 1 MiB of stdout in the result, and says how many lines it left to the step log', async () => {
    const logger = recordingLogger();
    const result = await cluster.runShellCommand('seq 1 300000', { logger });
    expect(logger.lines).to.have.length(300_000);
    expect(result.stdout.length).to.be.within(1024 * 1024, 1024 * 1024 + 100);
    const kept = result.stdout.split('\n').length - 2;
    expect(result.stdout).to.match(
      new RegExp(`^1\\n2\\n[\\s\\S]*\\n${kept}\\n\\[stdout cut: ${300_000 - kept} more line\\(s\\) in the step log\\]\\n$`),
    );
  });

  it('bounds the error of a 5 MB stderr line to a few KiB that say they were cut, in the error, the step record and the event', async () => {
    const error = (await cluster.runShellCommand(`head -c 5000000 /dev/zero | tr '\\0' e >&2; exit 2`).then(
      () => null,
      (e: unknown) => e,
    )) as ClusterError;
    expect(error).to.be.instanceOf(ClusterError);
    const tail = String(error.details.stderrTail);
    expect(tail.length).to.be.within(1000, 4200);
    expect(tail).to.match(/^\[stderr tail cut: \d+ earlier characters left out\] e+ \[cut 4934464 bytes\]$/);
    expect(error.message.length).to.be.below(5000);

    const t = await createTestingApp({ flows: [NoisyFlow] });
    try {
      const result = await t.app.run('noisy_flow', { timeperiod: '2026112600' });
      expect(result.state).to.equal('invalid');
      const [step] = (await t.app.status('noisy_flow', '2026112600')).steps;
      expect(step.error!.length).to.be.below(5000);
      expect(step.error).to.include('[cut 4934464 bytes]');
      expect(JSON.stringify(t.events).length).to.be.below(20_000);
      const log = fs.readFileSync(path.join(t.logDirectory, 'noisy_flow', 'noisy.log'), 'utf8');
      expect(log.length).to.be.below(MAX_LINE + 20_000);
      expect(log).to.match(/ WARN \[\S+\] e{65536} \[cut 4934464 bytes\]\n/);
    } finally {
      await t.teardown();
    }
  });
});
