import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLogTail } from '../../src/logging/log-tail.reader';

describe('logging/readLogTail', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-tail-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function file(text: string, sparseBytes = 0): string {
    const name = path.join(dir, 'step.log');
    fs.writeFileSync(name, '');
    if (sparseBytes) fs.truncateSync(name, sparseBytes);
    fs.appendFileSync(name, text);
    return name;
  }

  it('reads a 1 GiB log backwards from its end: its last lines cost one block, not the file', async () => {
    const tail = await readLogTail(file('\nolder\nlast but one\nlast\n', 1024 ** 3), { lines: 2, maxBytes: 64 * 1024 * 1024 });
    expect(tail).to.include({ text: 'last but one\nlast\n', truncated: true, exists: true, size: 1024 ** 3 + 25 });
    expect(tail.bytesRead).to.be.at.most(64 * 1024);
  });

  it('gives every line of a short file, the last one with or without its newline', async () => {
    expect(await readLogTail(file('a\nb\n'), { lines: 5, maxBytes: 1024 })).to.include({ text: 'a\nb\n', truncated: false });
    expect(await readLogTail(file('a\nb\nc'), { lines: 2, maxBytes: 1024 })).to.include({ text: 'b\nc', truncated: true });
    expect(await readLogTail(file('a\nb\n'), { lines: 2, maxBytes: 1024 })).to.include({ text: 'a\nb\n', truncated: false });
  });

  it('finds lines across read blocks', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(40)}\n`);
    const tail = await readLogTail(file(lines.join('')), { lines: 3000, maxBytes: 1024 ** 2 });
    expect(tail.text).to.equal(lines.slice(-3000).join(''));
  });

  it('within maxBytes, leaves out the line it cut, unless that line is all there is', async () => {
    expect(await readLogTail(file('first line\nsecond\nthird\n'), { maxBytes: 12 })).to.include({ text: 'third\n', truncated: true });
    expect(await readLogTail(file(`${'y'.repeat(100)}\n`), { maxBytes: 10 })).to.include({ text: `${'y'.repeat(9)}\n`, truncated: true });
  });

  it('says a missing file does not exist', async () => {
    expect(await readLogTail(path.join(dir, 'none.log'), { maxBytes: 10 })).to.deep.equal({
      text: '',
      size: 0,
      truncated: false,
      exists: false,
      bytesRead: 0,
    });
  });
});
