import { expect } from 'chai';
import * as fs from 'node:fs';
import { Flow, Main, Step, type LogEntry, type StepContext } from '../../src';
import { streamLogEntries } from '../../src/logging/log-entries.stream';
import { localIsoTimestamp } from '../../src/logging/log-layout';
import { tailRunLogs } from '../../src/logging/run-log-tail.query';
import type { LogQuery } from '../../src/logging/run-logs.query';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { bytesReadByThisProcess } from '../support/bytes-read';

@Step({ name: 'chatty' })
class Chatty {
  @Main() run(ctx: StepContext) {
    ctx.logger.info(`working on ${ctx.timeperiod}`);
  }
}

@Flow({ name: 'chatty_flow', steps: [Chatty] })
class ChattyFlow {}

/** What the viewer sent before it streamed: every entry of app.logs(), then the newest whole ones within maxBytes. */
function endOf(entries: LogEntry[], maxBytes: number) {
  const all = entries.map((entry) => `${entry.line}\n`);
  let kept = 0;
  let first = all.length;
  while (first > 0 && kept + Buffer.byteLength(all[first - 1]) <= maxBytes) kept += Buffer.byteLength(all[--first]);
  return { text: all.slice(first).join(''), lines: all.length - first, truncated: first > 0, exists: all.length > 0 };
}

/** The descriptors this process has open on `file` (Linux). */
function openDescriptors(file: string): number {
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(file);
    } catch {
      return false;
    }
  }).length;
}

describe('logging: the end of a run log, streamed (what the viewer reads)', () => {
  let t: TestingApp;
  let file: string;
  const runs: Record<string, string> = {};

  before(async () => {
    t = await createTestingApp({ flows: [ChattyFlow] });
    for (const tp of ['2026112600', '2026112700']) runs[tp] = (await t.app.run('chatty_flow', { timeperiod: tp })).runId;
    await t.app.logs.written();
    // Two rotated files of 2 MiB before the real one: the two runs' lines interleaved, a second
    // attempt of the second run, and a message of two lines split across the rotation.
    file = t.app.logs.stepLogFile('chatty_flow', 'chatty');
    // written after the runs began, as a run's lines are (their local time, as the log writer writes it)
    const now = localIsoTimestamp(new Date(Date.now() + 60_000));
    const line = (i: number, tp: string, message: string) => `${now} chatty INFO [${tp}#${runs[tp]}] ${message} ${i}\n`;
    const generation = (from: number, to: number) => {
      let text = '';
      for (let i = from; i < to; i++) {
        const tp = i % 3 === 0 ? '2026112700' : '2026112600';
        text += line(i, tp, i === 10_000 ? 'attempt 2 started on cluster local' : `synthetic line ${'x'.repeat(i % 50)}`);
      }
      return text;
    };
    fs.writeFileSync(`${file}.2`, generation(0, 25_000));
    fs.writeFileSync(`${file}.1`, `${generation(25_000, 50_000)}${line(50_000, '2026112700', 'a message of two lines')}`);
    fs.writeFileSync(file, `its second line, in the next file\n${fs.readFileSync(file, 'utf8')}`);
  });
  after(() => t.teardown());

  /** A step's whole log, a timeperiod's lines, one attempt of a run: the filters the viewer passes on. */
  const queries = (): LogQuery[] => [
    { step: 'chatty' },
    { step: 'chatty', timeperiod: '2026112600' },
    { step: 'chatty', timeperiod: '2026112700' },
    { step: 'chatty', runId: runs['2026112700'], attempt: 2 },
    { step: 'chatty', runId: runs['2026112700'], attempt: 1 },
    { step: 'chatty', timeperiod: '2026112600', runId: runs['2026112600'] },
  ];

  /** The bytes of the step's log files, every generation. */
  const logBytes = () => [`${file}.2`, `${file}.1`, file].reduce((sum, name) => sum + fs.statSync(name).size, 0);

  it('gives the end of what app.logs() gives, the same entries in the same order, holding no more than maxBytes of a 4 MiB log of 3 files', async () => {
    expect(fs.statSync(`${file}.1`).size + fs.statSync(`${file}.2`).size).to.be.above(3.5 * 1024 * 1024);
    for (const query of queries()) {
      const entries = await t.app.logs('chatty_flow', query);
      for (const maxBytes of [1, 300, 64 * 1024, 8 * 1024 * 1024]) {
        const { peakBytes, ...tail } = await tailRunLogs(t.app.logs, t.app.definition('chatty_flow'), query, { maxBytes });
        const label = `${JSON.stringify(query)} maxBytes ${maxBytes}`;
        expect(tail, label).to.deep.equal({ ...endOf(entries, maxBytes), size: logBytes() });
        expect(peakBytes, label).to.be.at.most(maxBytes);
      }
    }
  });

  it('a rotation while a read is under way loses none of the lines the files held when it began', async () => {
    const rotating = `${file}.rotating`;
    const head = `2026-12-01T10:00:00.000 chatty INFO [2026112600#${runs['2026112600']}]`;
    // Two entries in the older file: the first is given while that file is still being read.
    fs.writeFileSync(`${rotating}.1`, `${head} older\n${head} old\n`);
    fs.writeFileSync(rotating, `${head} newest\n`);
    const read: string[] = [];
    for await (const { entry } of streamLogEntries(rotating, { flow: 'chatty_flow', step: 'chatty' })) {
      read.push(entry.message);
      if (read.length === 1) {
        // What the log writer does when the file is full: shift the generations, start a new file.
        fs.renameSync(`${rotating}.1`, `${rotating}.2`);
        fs.renameSync(rotating, `${rotating}.1`);
        fs.writeFileSync(rotating, '');
      }
    }
    expect(read).to.deep.equal(['older', 'old', 'newest']);
  });

  it("reads a log's end for its newest entries, not the whole log: 64 KiB of a 4 MiB log costs well under 1 MiB of reads", async () => {
    for (const query of [{ step: 'chatty' }, { step: 'chatty', timeperiod: '2026112700', runId: runs['2026112700'] }]) {
      const before = bytesReadByThisProcess();
      const tail = await tailRunLogs(t.app.logs, t.app.definition('chatty_flow'), query, { maxBytes: 64 * 1024 });
      const read = bytesReadByThisProcess() - before;
      expect(tail.truncated, JSON.stringify(query)).to.equal(true);
      expect(read, JSON.stringify(query)).to.be.below(1024 * 1024);
    }
  });

  it('counts an entry larger than maxBytes without holding it, nor the older ones', async () => {
    const big = `${file}.big`;
    const head = `2026-12-01T10:00:00.000 chatty INFO [2026112600#${runs['2026112600']}]`;
    fs.writeFileSync(big, `${head} before\n${head} a stack of 1 MiB\n${'    at frame\n'.repeat(80_000)}${head} after\n`);
    const streamed = [];
    for await (const sized of streamLogEntries(big, { flow: 'chatty_flow', step: 'chatty' }, {}, { maxEntryBytes: 64 * 1024 }))
      streamed.push(sized);
    expect(streamed.map((s) => [s.entry.message.split('\n')[0], s.whole])).to.deep.equal([
      ['before', true],
      ['a stack of 1 MiB', false],
      ['after', true],
    ]);
    expect(streamed[1].bytes).to.equal(Buffer.byteLength(`${head} a stack of 1 MiB\n`) + 80_000 * 13);
    expect(streamed[1].entry.line.length).to.be.at.most(64 * 1024 + 13);
  });

  it('stops reading when its signal aborts: it rejects with the reason, and the files are closed', async () => {
    const client = new AbortController();
    const gone = new Error('the client has gone');
    // the application's log writer has the newest file open: only the reader's must be gone
    const writers = openDescriptors(file);
    setImmediate(() => client.abort(gone));
    let window: unknown;
    try {
      // a timeperiod's lines fewer than maxBytes: read back to the log's start
      window = await tailRunLogs(
        t.app.logs,
        t.app.definition('chatty_flow'),
        { step: 'chatty', timeperiod: '2026112600' },
        { maxBytes: 64 * 1024 * 1024, signal: client.signal },
      );
    } catch (err) {
      expect(err).to.equal(gone);
    }
    expect(window, 'it read the whole log').to.equal(undefined);
    // at most: the log writer may close one of its own meanwhile (seen once in a few runs: 2 before, 1 after)
    expect(openDescriptors(file)).to.be.at.most(writers);
  });
});
