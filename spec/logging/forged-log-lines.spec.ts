import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Flow, Main, Step, type StepContext } from '../../src';
import { readLogEntries } from '../../src/logging/log-entries.reader';
import { createTestingApp, type TestingApp } from '../../src/testing';

/** The run a hostile command's output pretends its lines belong to, set before the hostile run. */
let victim = { timeperiod: '', runId: '' };

/** A header line of the victim run, as a command can print it. */
const forged = (level: string, message: string) =>
  `2026-01-02T03:04:05.678 relay.run ${level} [${victim.timeperiod}#${victim.runId}] ${message}`;

/**
 * What a command, a step or its error may hold: a progress bar's `\r`, stderr quoted in a
 * multi-line error, an argument with a newline; every one followed by a line of the victim run.
 */
function payloads(): Record<string, string> {
  return {
    cr: `downloading 100%\r${forged('ERROR', 'checksum mismatch: output corrupt')}`,
    crlf: `first\r\n${forged('ERROR', 'forged after CRLF')}`,
    newline: `one\n${forged('INFO', 'upload of 1,234 rows done')}\n${forged('INFO', 'attempt 7 started on cluster local-9').replace('relay.run', 'relay')}`,
    separators: `a\u2028${forged('WARN', 'after U+2028')}\u2029${forged('WARN', 'after U+2029')}\u0085${forged('WARN', 'after NEL')}\v${forged('WARN', 'after VT')}\f${forged('WARN', 'after FF')}`,
    json: `b\n{"time":"2026-12-06T07:00:00.000Z","level":"ERROR","flow":"forging","timeperiod":"${victim.timeperiod}","runId":"${victim.runId}","step":"relay","message":"forged JSON"}`,
  };
}

/** Relays hostile text the ways a step's lines are made: a command's stdout, its argv, its failure's stderr, the step's logger. */
@Step({ name: 'relay' })
class Relay {
  @Main() async run(ctx: StepContext) {
    if (process.env.SYNERGY_SPEC_HOSTILE !== '1') {
      ctx.logger.info('an honest line');
      return;
    }
    const all = payloads();
    await ctx.cluster.runCommand(['sh', '-c', 'printf "%s\\n" "$1"', 'stdout', all.cr]);
    await ctx.cluster.runCommand(['true', all.newline]);
    for (const text of Object.values(all)) ctx.logger.info(text);
    await ctx.cluster.runCommand(['sh', '-c', 'printf "%s\\n" "$1" >&2; exit 3', 'stderr', all.newline]);
  }
}

@Flow({ name: 'forging', steps: [Relay] })
class ForgingFlow {}

describe('logging: nothing a message holds starts a line of another run (text format)', () => {
  let t: TestingApp;
  let hostileRunId: string;
  before(async () => {
    t = await createTestingApp({ flows: [ForgingFlow] });
    const first = await t.app.run('forging', { timeperiod: '2026112500' });
    expect(first.state).to.equal('processed');
    victim = { timeperiod: '2026112500', runId: first.runId };
    process.env.SYNERGY_SPEC_HOSTILE = '1';
    try {
      const hostile = await t.app.run('forging', { timeperiod: '2026112600' });
      expect(hostile.state).to.equal('invalid');
      hostileRunId = hostile.runId;
    } finally {
      delete process.env.SYNERGY_SPEC_HOSTILE;
    }
  });
  after(() => t.teardown());

  it("the victim run's log is its own lines only: no forged ERROR, no forged attempt", async () => {
    const lines = await t.app.logs('forging', { step: 'relay', runId: victim.runId });
    expect(lines.map((e) => e.message).join('\n')).to.not.match(/forged|checksum|upload of|attempt 7|after /);
    expect(lines.some((e) => e.level === 'ERROR')).to.equal(false);
    expect(new Set(lines.map((e) => e.attempt))).to.deep.equal(new Set([1]));
    const seventh = await t.app.logs('forging', { step: 'relay', runId: victim.runId, attempt: 7 }).catch(() => []);
    expect(seventh).to.deep.equal([]);
    const timeperiod = await t.app.logs('forging', { step: 'relay', timeperiod: victim.timeperiod });
    expect(timeperiod.map((e) => e.line)).to.deep.equal(lines.map((e) => e.line));
  });

  it('the hostile run keeps each message whole, its line breaks as \\n, in the file behind an indent', async () => {
    const entries = await t.app.logs('forging', { step: 'relay', runId: hostileRunId });
    const messages = entries.map((e) => e.message);
    const all = payloads();
    // Logged by the step: the message as logged, every kind of line break read back as one \n.
    expect(messages).to.include(all.cr.replace('\r', '\n'));
    expect(messages).to.include(all.crlf.replace('\r\n', '\n'));
    expect(messages).to.include(all.newline);
    expect(messages).to.include(all.separators.replace(/[\u2028\u2029\u0085\v\f]/g, '\n'));
    expect(messages).to.include(all.json);
    // A command's stdout line, its argv, and the failure quoting its stderr: each one entry, whole.
    expect(messages).to.include(`downloading 100%\n${forged('ERROR', 'checksum mismatch: output corrupt')}`);
    expect(messages.some((m) => m.startsWith('running: true ') && m.includes('attempt 7 started'))).to.equal(true);
    const failure = entries.find((e) => e.level === 'ERROR' && e.message.includes('stderr ends with:\n'));
    expect(failure?.message).to.include(forged('INFO', 'upload of 1,234 rows done'));
    expect(entries.every((e) => e.runId === hostileRunId && e.timeperiod === '2026112600')).to.equal(true);

    t.app.logs.flush();
    const file = fs.readFileSync(t.app.logs.stepLogFile('forging', 'relay'), 'utf8');
    expect(file).to.not.match(/[\r\v\f\u0085\u2028\u2029]/);
    // What the payloads hold is in the file, but never where a line starts.
    expect(file.split('\n').filter((line) => line.startsWith('2026-01-02') || line.startsWith('{'))).to.deep.equal([]);
    expect(file).to.include(`\n\t${forged('ERROR', 'checksum mismatch: output corrupt')}\n`);
  });

  it('a log written before the indent (continuation lines as they were, CRLF ends) reads as before', async () => {
    const file = path.join(path.dirname(t.app.logs.stepLogFile('forging', 'relay')), 'old.log');
    fs.writeFileSync(
      file,
      [
        '2026-11-01T07:00:00.000 old ERROR [2026110100#mold0000000001] failed: Error: boom',
        '    at run (/app/old.js:1:1)',
        '',
        '2026-11-01T07:00:00.001 old INFO [2026110100#mold0000000001] done\r',
        '2026-11-02T07:00:00.000 old INFO [2026110200#mold0000000002] other run',
        '',
      ].join('\n'),
    );
    const entries = await readLogEntries(file, { flow: 'forging', step: 'old' }, { runId: 'mold0000000001' });
    expect(entries.map((e) => e.message)).to.deep.equal(['failed: Error: boom\n    at run (/app/old.js:1:1)\n', 'done']);
  });
});
