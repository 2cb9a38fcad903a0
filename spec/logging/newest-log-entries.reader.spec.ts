import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newRunId } from '../../src/domain/run-id';
import { readLogEntries } from '../../src/logging/log-entries.reader';
import { localIsoTimestamp } from '../../src/logging/log-layout';
import type { LogEntryFilter } from '../../src/logging/log-line.filter';
import { readNewestLogEntries } from '../../src/logging/newest-log-entries.reader';
import { runLinesNotBefore } from '../../src/logging/run-log-tail.query';
import { bytesReadByThisProcess } from '../support/bytes-read';

const source = { flow: 'etl', step: 'load' };
const HOUR = 3600_000;

/** What the viewer answered before it read backwards: every entry the filter keeps, read forward, then the newest within maxBytes. */
async function forwardEnd(file: string, filter: LogEntryFilter, maxBytes: number) {
  const all = (await readLogEntries(file, source, filter)).map((entry) => `${entry.line}\n`);
  let kept = 0;
  let first = all.length;
  while (first > 0 && kept + Buffer.byteLength(all[first - 1]) <= maxBytes) kept += Buffer.byteLength(all[--first]);
  return { text: all.slice(first).join(''), lines: all.length - first, truncated: first > 0, exists: all.length > 0 };
}

describe('logging/readNewestLogEntries: the end of a log, read backwards', () => {
  let dir: string;
  let file: string;
  const now = Date.now();
  const old = [newRunId(now - 72 * HOUR), newRunId(now - 71 * HOUR)];
  // two runs at once: their lines interleave
  const latest = newRunId(now - 10 * 60_000);
  const other = newRunId(now - 5 * 60_000);

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-newest-'));
    file = path.join(dir, 'load.log');
    const line = (at: number, runId: string, message: string) =>
      `${localIsoTimestamp(new Date(at))} load INFO [2026120100#${runId}] ${message}\n`;
    // three days ago: 3 MiB in load.log.2 and .1, two attempts each
    let older = '';
    for (let i = 0; older.length < 3 * 1024 * 1024; i++) {
      const runId = old[i % 2];
      older += line(now - 72 * HOUR + i, runId, i < 2 ? 'attempt 1 started' : `old row ${i} ${'x'.repeat(i % 40)}`);
    }
    const middle = older.lastIndexOf('\n', older.length / 2) + 1;
    fs.writeFileSync(`${file}.2`, older.slice(0, middle));
    fs.writeFileSync(`${file}.1`, older.slice(middle));
    // now: the latest run's two attempts beside another run, a multi-line entry split across the rotation
    let recent = '';
    for (let i = 0; i < 400; i++) {
      const attemptLine = i === 0 || i === 200 ? `attempt ${i === 0 ? 1 : 2} started on cluster local` : undefined;
      recent += line(now - 10 * 60_000 + i, latest, attemptLine ?? `row ${i}${i % 50 === 7 ? '\n\tat frame one\n\tat frame two' : ''}`);
      if (i >= 100) recent += line(now - 5 * 60_000 + i, other, i === 100 ? 'attempt 1 started' : `other row ${i}`);
    }
    fs.appendFileSync(`${file}.1`, line(now - 10 * 60_000, other, 'a stack of two lines'));
    fs.writeFileSync(file, `\tits second line, in the next file\n${recent}`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const filters = (): LogEntryFilter[] => [
    {},
    { timeperiod: '2026120100' },
    { runId: latest },
    { runId: latest, attempt: 1 },
    { runId: latest, attempt: 2 },
    { runId: other },
    { runId: old[0], attempt: 1 },
  ];

  it('gives the same entries in the same order as reading the whole log forward, every filter, every budget, 3 generations', async () => {
    for (const filter of filters()) {
      const notBefore = filter.runId === undefined ? undefined : runLinesNotBefore(filter.runId);
      for (const maxBytes of [1, 200, 4096, 64 * 1024, 8 * 1024 * 1024]) {
        const { peakBytes, size, ...tail } = await readNewestLogEntries(file, source, filter, { maxBytes, notBefore });
        const label = `${JSON.stringify(filter)} maxBytes ${maxBytes}`;
        expect(tail, label).to.deep.equal(await forwardEnd(file, filter, maxBytes));
        expect(peakBytes, label).to.be.at.most(maxBytes);
        expect(size, label).to.equal(['.2', '.1', ''].reduce((sum, suffix) => sum + fs.statSync(`${file}${suffix}`).size, 0));
      }
    }
  });

  it("reads a run's lines back to its start only: the latest run of a log of 3 MiB of older runs costs a few KiB of reads", async () => {
    for (const filter of [{ runId: latest }, { runId: latest, attempt: 1 }, { runId: other }]) {
      const before = bytesReadByThisProcess();
      const tail = await readNewestLogEntries(file, source, filter, {
        maxBytes: 4 * 1024 * 1024,
        notBefore: runLinesNotBefore(filter.runId),
      });
      const read = bytesReadByThisProcess() - before;
      expect(tail.truncated, JSON.stringify(filter)).to.equal(false);
      expect(read, JSON.stringify(filter)).to.be.below(256 * 1024);
    }
  });

  it('a rotation while a read is under way loses none of the lines the files held when it began', async () => {
    const rotating = path.join(dir, 'rotating.log');
    const line = (timeperiod: string, message: string) =>
      `${localIsoTimestamp(new Date(now))} load INFO [${timeperiod}#${latest}] ${message}\n`;
    fs.writeFileSync(`${rotating}.1`, line('2026120100', 'older'));
    // the newest file: 8 MiB of another timeperiod's lines to read back through, after the newest of ours
    fs.writeFileSync(rotating, `${line('2026120100', 'newest')}${line('2026113000', 'another timeperiod').repeat(100_000)}`);
    const reading = readNewestLogEntries(rotating, source, { timeperiod: '2026120100' }, { maxBytes: 64 * 1024 });
    const open = () =>
      fs.readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(rotating);
        } catch {
          return false;
        }
      }).length;
    while (open() < 2) await new Promise(setImmediate);
    // What the log writer does when the file is full: shift the generations, start a new file.
    fs.renameSync(`${rotating}.1`, `${rotating}.2`);
    fs.renameSync(rotating, `${rotating}.1`);
    fs.writeFileSync(rotating, '');
    const { text } = await reading;
    expect(text.split('\n').map((l) => l.split('] ')[1])).to.deep.equal(['older', 'newest', undefined]);
  });
});
