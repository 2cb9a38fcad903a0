import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackgroundFileWriter } from '../../src/logging/background-file-writer';
import { openFilesUnder } from '../../bench/open-files';

describe('logging: the background log writer', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-log-writer-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('flush() returns once every line is in its file, in the order written, holding at most maxOpen files', () => {
    const writer = new BackgroundFileWriter(8);
    const files = Array.from({ length: 300 }, (_, i) => path.join(dir, `flow${i % 3}`, `s${i}.log`));
    for (let line = 0; line < 20; line++) for (const file of files) writer.write(file, `${path.basename(file)} line ${line}\n`);
    writer.flush();

    for (const file of files) {
      const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines).to.deep.equal(Array.from({ length: 20 }, (_, line) => `${path.basename(file)} line ${line}`));
    }
    expect(writer.maxOpenSoFar).to.be.within(1, 8);
    expect(openFilesUnder(dir)).to.be.at.most(8);
    writer.closeAll();
    expect(openFilesUnder(dir)).to.equal(0);
  });

  it('keeps every line whole and in its own file, whatever its characters, when files interleave in one batch', () => {
    const writer = new BackgroundFileWriter(4);
    const texts = ['ascii', 'accentué é', 'emoji 🚀 two 🧪', 'CJK 日本語', '', 'tab\tand "quotes"'];
    const files = ['a', 'b', 'c'].map((name) => path.join(dir, 'mixed', `${name}.log`));
    const expected = new Map<string, string>(files.map((f) => [f, '']));
    for (let i = 0; i < 60; i++) {
      const file = files[(i * 7) % files.length];
      const text = `${i} ${texts[i % texts.length]}\n`;
      writer.write(file, text);
      expected.set(file, expected.get(file) + text);
    }
    writer.flush();
    for (const file of files) expect(fs.readFileSync(file, 'utf8')).to.equal(expected.get(file));
    writer.closeAll();
  });

  it('keeps a line far larger than a batch (a long stack trace, say) whole, between the lines around it', () => {
    const writer = new BackgroundFileWriter(4);
    const file = path.join(dir, 'big', 'step.log');
    const huge = `${'é🚀x'.repeat(60_000)}\n`; // ~500 KB of UTF-8, much of it multi-byte
    writer.write(file, 'before\n');
    writer.write(file, huge);
    writer.write(file, 'after\n');
    writer.flush();
    expect(fs.readFileSync(file, 'utf8')).to.equal(`before\n${huge}after\n`);
    writer.closeAll();
  });

  it('appends after a flush, and to files that already exist', () => {
    const file = path.join(dir, 'f', 'a.log');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, 'before\n');
    const writer = new BackgroundFileWriter(2);
    writer.write(file, 'one\n');
    writer.flush();
    writer.write(file, 'two\n');
    writer.flush();
    expect(fs.readFileSync(file, 'utf8')).to.equal('before\none\ntwo\n');
    writer.closeAll();
  });

  it('lines written just before the process exits still reach their files', () => {
    const file = path.join(dir, 'exit', 'last.log');
    const script = `
      const { BackgroundFileWriter } = require(${JSON.stringify(require.resolve('../../src/logging/background-file-writer'))});
      const writer = new BackgroundFileWriter(4);
      for (let i = 0; i < 1000; i++) writer.write(${JSON.stringify(file)}, 'line ' + i + '\\n');
      process.exit(0);`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(child.status, child.stderr).to.equal(0);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).to.have.length(1000);
    expect(lines[999]).to.equal('line 999');
  });

  it('written() resolves once every line is in its file, and the event loop keeps turning while the thread writes', async () => {
    const writer = new BackgroundFileWriter(8);
    // Creating 2,000 files keeps the log thread busy for tens of milliseconds at the very least.
    const files = Array.from({ length: 2000 }, (_, i) => path.join(dir, 'async', `s${i}.log`));
    for (const file of files) writer.write(file, `${path.basename(file)} first\n`);
    for (const file of files) writer.write(file, `${path.basename(file)} second\n`);
    let turnedMeanwhile = false;
    setImmediate(() => (turnedMeanwhile = true));

    await writer.written();

    // A blocking wait would have resolved before the setImmediate callback could run.
    expect(turnedMeanwhile).to.equal(true);
    for (const file of files)
      expect(fs.readFileSync(file, 'utf8')).to.equal(`${path.basename(file)} first\n${path.basename(file)} second\n`);
    await writer.written(); // nothing new: resolves at once
    writer.closeAll();
  });

  it('a process whose only work left is awaiting written() stays alive until its lines are written', () => {
    const file = path.join(dir, 'alive', 'last.log');
    const script = `
      const { BackgroundFileWriter } = require(${JSON.stringify(require.resolve('../../src/logging/background-file-writer'))});
      const fs = require('node:fs');
      const writer = new BackgroundFileWriter(4);
      for (let i = 0; i < 3000; i++) writer.write(${JSON.stringify(file)}.replace('last', 'f' + i), 'line ' + i + '\\n');
      writer.write(${JSON.stringify(file)}, 'the last line\\n');
      writer.written().then(() => console.log('resolved: ' + fs.readFileSync(${JSON.stringify(file)}, 'utf8').trim()));`;
    // The timeout also proves the thread does not keep the process alive once the lines are written.
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15_000 });
    expect(child.status, `${child.signal ?? ''} ${child.stderr}`).to.equal(0);
    expect(child.stdout.trim()).to.equal('resolved: the last line');
  });
});
