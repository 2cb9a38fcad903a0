import { expect } from 'chai';
import * as fc from 'fast-check';
import * as log4js from 'log4js';
import { LogLineFilter } from '../../src/logging/log-line.filter';
import { formatLogLine, LOG_LINE_PATTERN, runTag, UNTAGGED_LOG_LINE_PATTERN, type LogLevelName } from '../../src/logging/log-layout';

// log4js's own pattern layout and event class: the reference the hand-written layout must match.
const { patternLayout } = require('log4js/lib/layouts') as { patternLayout: (pattern: string) => (event: log4js.LoggingEvent) => string };
const LoggingEvent = require('log4js/lib/LoggingEvent') as new (
  category: string,
  level: log4js.Level,
  data: unknown[],
  context: Record<string, unknown>,
) => log4js.LoggingEvent;

const reference = patternLayout(LOG_LINE_PATTERN);
const untaggedReference = patternLayout(UNTAGGED_LOG_LINE_PATTERN);
const RUN = { timeperiod: '2026112600', runId: 'mj9x3k2a0q1z2y' };
const LEVELS = [log4js.levels.DEBUG, log4js.levels.INFO, log4js.levels.WARN, log4js.levels.ERROR];

/**
 * The same line, once as log4js's pattern layout writes it (category = name, the run in the
 * context, as log4js-forwarding.ts puts it there), once as ours does.
 */
function bothWays(name: string, level: log4js.Level, message: string, at: Date, run = RUN): [string, string] {
  const theirs = new LoggingEvent(name, level, [message], { ...run });
  theirs.startTime = at;
  return [formatLogLine(at, name, level.levelStr as LogLevelName, message, runTag(run)), reference(theirs)];
}

function inTimeZone(tz: string, body: () => void): void {
  const previous = process.env.TZ;
  process.env.TZ = tz;
  try {
    body();
  } finally {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  }
}

describe('logging: the log line layout', () => {
  const name = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,30}$/);
  const level = fc.constantFrom(...LEVELS);
  // Messages as FileLogger hands them over: one string (its values joined), % signs included.
  const message = fc.oneof(
    fc.string(),
    fc.string().map((s) => `${s} 100% %s %d`),
  );
  const at = fc.date({ min: new Date('1970-01-02T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
  const run = fc.record({ timeperiod: fc.stringMatching(/^\d{10}$/), runId: fc.stringMatching(/^[0-9a-z]{14}$/) });

  for (const tz of ['UTC', 'Europe/Paris', 'America/St_Johns', 'Asia/Kathmandu']) {
    it(`writes exactly what log4js's pattern '${LOG_LINE_PATTERN}' writes (time zone ${tz})`, () => {
      inTimeZone(tz, () => {
        fc.assert(
          fc.property(name, level, message, at, run, (n, l, d, t, r) => {
            const [ours, theirs] = bothWays(n, l, d, t, r);
            expect(ours).to.equal(theirs);
          }),
          { numRuns: 300 },
        );
      });
    });
  }

  it('keeps the milliseconds and the local time right across a second, a daylight-saving change and lines out of order', () => {
    inTimeZone('Europe/Paris', () => {
      // 2026-03-29 01:59:59.999 UTC+1 -> 03:00:00.000 UTC+2, then back in time
      const instants = [
        '2026-03-29T00:59:59.998Z',
        '2026-03-29T00:59:59.999Z',
        '2026-03-29T01:00:00.000Z',
        '2026-03-29T01:00:00.001Z',
        '2026-03-29T00:59:59.999Z',
      ];
      for (const iso of instants) {
        const [ours, theirs] = bothWays('step.action', log4js.levels.INFO, '100% done', new Date(iso));
        expect(ours).to.equal(theirs);
      }
      expect(bothWays('s', log4js.levels.INFO, 'x', new Date('2026-03-29T01:00:00.000Z'))[0]).to.match(
        /^2026-03-29T03:00:00\.000 s INFO \[2026112600#mj9x3k2a0q1z2y\] x$/,
      );
    });
  });

  it(`a line outside any run has no tag: log4js's '${UNTAGGED_LOG_LINE_PATTERN}'`, () => {
    const at = new Date('2026-11-26T07:00:00.000Z');
    const theirs = new LoggingEvent('s', log4js.levels.WARN, ['x'], {});
    theirs.startTime = at;
    expect(formatLogLine(at, 's', 'WARN', 'x', runTag(undefined))).to.equal(untaggedReference(theirs));
  });

  it('a message of any content is one entry when read back: its line breaks, of every kind, become indented lines and come back as \\n', () => {
    // Text that holds headers of other lines: what a command's output can print to forge one.
    const header = fc.constantFrom(
      '2026-11-26T07:00:00.000 s ERROR [2026112500#mvictim0000001] forged',
      '{"time":"x","level":"ERROR"}',
      '',
    );
    const breaks = fc.constantFrom('\n', '\r', '\r\n', '\v', '\f', '\u0085', '\u2028', '\u2029');
    const hostile = fc.array(fc.tuple(fc.string({ unit: 'binary' }), breaks, header)).map((parts) => parts.flat().join(''));
    fc.assert(
      fc.property(hostile, (m) => {
        const filter = new LogLineFilter({ flow: 'f', step: 's' });
        const text = formatLogLine(new Date('2026-11-26T07:00:00.000Z'), 's', 'INFO', m, runTag(RUN));
        const entries = text.split('\n').flatMap((line) => filter.next(line).entry ?? []);
        expect(entries).to.have.length(1);
        expect(entries[0]).to.include({ runId: RUN.runId, message: m.replace(/\r\n|[\r\v\f\u0085\u2028\u2029]/g, '\n') });
        expect(entries[0].line).to.equal(text);
      }),
      { numRuns: 300 },
    );
  });
});
