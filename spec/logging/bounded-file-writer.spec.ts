import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BoundedFileWriter } from '../../src/logging/bounded-file-writer';

const LINE = `${'x'.repeat(59)}\n`; // 60 bytes
const ROTATION = { maxFileBytes: 100, keepFiles: 3 };

/**
 * A log file whose descriptor went to another file (more files than descriptors: a large flow's
 * step logs) is appended to again when its step logs next, and still rotates at its real size.
 */
describe('logging/bounded file writer: files reopened after their descriptor went to another', () => {
  let dir: string;
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  const write = (writer: BoundedFileWriter, name: string) => {
    writer.write(path.join(dir, name), LINE);
    writer.flush();
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bounded-file-writer-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rotates a reopened file by the bytes it already holds, opened before by this writer or by another', () => {
    const writer = new BoundedFileWriter(1);
    writer.rotateUnder(dir, ROTATION);
    write(writer, 'a.log');
    write(writer, 'b.log'); // a.log's descriptor goes to b.log
    write(writer, 'a.log'); // 120 bytes would pass 100: a.log rotates first
    expect(read('a.log.1')).to.equal(LINE);
    expect(read('a.log')).to.equal(LINE);

    // Another writer (a later process) finds b.log with 60 bytes in it.
    const later = new BoundedFileWriter(1);
    later.rotateUnder(dir, ROTATION);
    write(later, 'b.log');
    expect(read('b.log.1')).to.equal(LINE);
    expect(read('b.log')).to.equal(LINE);
    writer.closeAll();
    later.closeAll();
  });

  it('creates again a file removed while its descriptor was closed, and counts it from empty', () => {
    const writer = new BoundedFileWriter(1);
    writer.rotateUnder(dir, ROTATION);
    write(writer, 'a.log');
    write(writer, 'b.log');
    fs.rmSync(path.join(dir, 'a.log'));
    write(writer, 'a.log');
    expect(read('a.log')).to.equal(LINE);
    expect(fs.existsSync(path.join(dir, 'a.log.1')), 'nothing to rotate').to.equal(false);
    writer.closeAll();
  });

  it("carries a run's attempt into the file a rotation opens, also when the rotated file was written by another writer (a process before)", () => {
    const step = (n: number, message: string) =>
      `2026-12-06T07:00:00.${String(n).padStart(3, '0')} load INFO [2026120600#run1] ${message}\n`;
    const action = (n: number) =>
      `2026-12-06T07:00:01.${String(n).padStart(3, '0')} load.main INFO [2026120600#run1] row ${n} ${'x'.repeat(20)}\n`;
    const file = path.join(dir, 'etl', 'load.log');
    const first = new BoundedFileWriter(1);
    first.rotateUnder(dir, { maxFileBytes: 1024, keepFiles: 2 });
    first.write(file, step(0, 'attempt 2 started on cluster local'), { run: '2026120600#run1', attempt: 2 });
    first.write(file, action(0).replace('row 0', 'attempt 9 started, said an action'));
    first.closeAll();
    const later = new BoundedFileWriter(1);
    later.rotateUnder(dir, { maxFileBytes: 1024, keepFiles: 2 });
    for (let i = 1; i < 100; i++) later.write(file, action(i));
    later.closeAll();
    // load.log.2, .1 and load.log: each opened by a rotation, the attempt's start rotated out
    for (const name of ['load.log.2', 'load.log.1', 'load.log'])
      expect(read(path.join('etl', name)).split('\n')[0], name).to.match(
        / load INFO \[2026120600#run1\] attempt 2 continues \(the log rotated\)$/,
      );
    expect(read(path.join('etl', 'load.log')).trimEnd().split('\n').at(-1)).to.include('row 99 ');
  });
});
