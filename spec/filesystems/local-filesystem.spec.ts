import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalFilesystem } from '../../src';

describe('filesystems/LocalFilesystem', () => {
  const fsys = new LocalFilesystem();
  let root: string;
  const p = (...parts: string[]) => path.join(root, ...parts);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-fs-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('mkdir is recursive and idempotent; exists tells', async () => {
    await fsys.mkdir(p('a', 'b', 'c'));
    await fsys.mkdir(p('a', 'b', 'c'));
    expect(await fsys.exists(p('a', 'b', 'c'))).to.equal(true);
    expect(await fsys.exists(p('nope'))).to.equal(false);
    expect(await fsys.exists(`file://${p('a')}`)).to.equal(true);
  });

  it('mkdir under /proc (a file system that takes no new folder) rejects at once with an error naming it, instead of spinning for ever', async () => {
    // Node 20's recursive mkdir looped there at 100% CPU and never settled.
    const hung = new Promise<string>((resolve) => setTimeout(() => resolve('still pending after 5 s'), 5000).unref());
    const outcome = await Promise.race([
      fsys.mkdir('/proc/synergy-x/y').then(
        () => 'created',
        (err: Error) => err,
      ),
      hung,
    ]);
    expect(outcome).to.be.instanceOf(Error);
    expect((outcome as NodeJS.ErrnoException).code).to.equal('ENOENT');
    expect((outcome as Error).message).to.equal(
      "ENOENT: /proc takes no new folder (a virtual file system such as /proc?), mkdir '/proc/synergy-x'",
    );
    // cp and mv create their target's parents the same way
    fs.writeFileSync(p('f.txt'), 'data');
    const copy = await Promise.race([
      fsys.cp(p('f.txt'), '/proc/synergy-x/f.txt').then(
        () => 'copied',
        (err: Error) => err,
      ),
      hung,
    ]);
    expect((copy as Error).message).to.include('/proc takes no new folder');
  });

  it('cp copies files and directories; mv moves them; rm and rmdir remove (missing ones too)', async () => {
    await fsys.mkdir(p('src', 'deep'));
    fs.writeFileSync(p('src', 'deep', 'f.txt'), 'data');
    await fsys.cp(p('src'), p('copy'));
    expect(fs.readFileSync(p('copy', 'deep', 'f.txt'), 'utf8')).to.equal('data');
    await fsys.cp(p('src', 'deep', 'f.txt'), p('other', 'g.txt'));
    expect(fs.readFileSync(p('other', 'g.txt'), 'utf8')).to.equal('data');
    await fsys.mv(p('copy'), p('moved', 'here'));
    expect(fs.existsSync(p('copy'))).to.equal(false);
    expect(fs.readFileSync(p('moved', 'here', 'deep', 'f.txt'), 'utf8')).to.equal('data');
    await fsys.rm(p('other', 'g.txt'));
    await fsys.rm(p('other', 'g.txt'));
    expect(fs.existsSync(p('other', 'g.txt'))).to.equal(false);
    await fsys.rmdir(p('moved'));
    await fsys.rmdir(p('moved'));
    expect(fs.existsSync(p('moved'))).to.equal(false);
  });

  it('copyToLocal and copyFromLocal copy between the cluster and the local disk', async () => {
    fs.writeFileSync(p('local.txt'), 'x');
    await fsys.copyFromLocal(p('local.txt'), p('remote', 'r.txt'));
    await fsys.copyToLocal(p('remote', 'r.txt'), p('back', 'b.txt'));
    expect(fs.readFileSync(p('back', 'b.txt'), 'utf8')).to.equal('x');
  });
});
