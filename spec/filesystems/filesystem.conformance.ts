import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { CopyIntoItselfError, PathNotFoundError, TargetKindConflictError, WrongEntryKindError, type Filesystem } from '../../src';

/**
 * What a filesystem under test gives the conformance cases. Every case gets a fresh `root` folder
 * URI (no trailing '/') that does not exist yet, and a fresh local directory for copyToLocal and
 * copyFromLocal.
 */
export interface ConformanceBackend {
  filesystem: Filesystem;
  /** A fresh, not yet existing folder URI for one case. */
  newRoot(): Promise<string>;
  /** A URI under something that does not exist at all (a missing bucket, a missing top folder). */
  missingRoot: string;
  /** Writes files (relative paths under `root`, '/'-separated) directly, not through `filesystem`. */
  seed(root: string, files: Record<string, string>): Promise<void>;
  /** Every file under `root`, relative and sorted, read directly (folder markers are not files). */
  files(root: string): Promise<string[]>;
  read(root: string, relative: string): Promise<string | undefined>;
  /** Runs `write` once while the next mv is under way (S3: as it sends its first copy; a local rename is atomic, so right before it). */
  duringNextMove(write: () => Promise<void>): Promise<void>;
}

const rejection = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: unknown) => err,
  );

/** The one list of filesystem cases every implementation passes (README, "Filesystems"). */
export function describeFilesystemConformance(name: string, backend: () => ConformanceBackend): void {
  describe(`${name} conforms to Filesystem`, () => {
    let b: ConformanceBackend;
    let fsys: Filesystem;
    let root: string;
    let local: string;
    const at = (relative: string) => `${root}/${relative}`;

    beforeEach(async () => {
      b = backend();
      fsys = b.filesystem;
      root = await b.newRoot();
      local = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-conformance-'));
    });
    afterEach(() => fs.rmSync(local, { recursive: true, force: true }));

    it('mkdir makes a folder that exists, stats and lists as one; mkdir again succeeds', async () => {
      await fsys.mkdir(at('d/e'));
      await fsys.mkdir(at('d/e'));
      expect(await fsys.exists(at('d/e'))).to.equal(true);
      expect(await fsys.stat(at('d/e'))).to.deep.equal({ type: 'directory' });
      expect((await fsys.list(at('d'))).map((e) => [e.name, e.type, e.uri])).to.deep.equal([['e', 'directory', at('d/e')]]);
      expect(await fsys.list(at('d/e'))).to.deep.equal([]);
    });

    it('stat and list: files with size and time, folders one level deep or every file recursively', async () => {
      await b.seed(root, { 'p/_SUCCESS': '', 'p/part-0': 'abc', 'p/day=01/part-1': 'hello', 'p/day=02/part-2': 'x' });
      const file = await fsys.stat(at('p/part-0'));
      expect(file?.type).to.equal('file');
      expect(file?.size).to.equal(3);
      expect(file?.modified).to.be.instanceOf(Date);
      expect(await fsys.stat(at('p'))).to.deep.equal({ type: 'directory' });

      const level = await fsys.list(at('p'));
      expect(level.map((e) => [e.name, e.type, e.size])).to.deep.equal([
        ['_SUCCESS', 'file', 0],
        ['day=01', 'directory', undefined],
        ['day=02', 'directory', undefined],
        ['part-0', 'file', 3],
      ]);
      expect(level.map((e) => e.uri)).to.deep.equal([at('p/_SUCCESS'), at('p/day=01'), at('p/day=02'), at('p/part-0')]);
      expect((await fsys.list(at('p'), { recursive: true })).map((e) => [e.name, e.type, e.uri])).to.deep.equal([
        ['_SUCCESS', 'file', at('p/_SUCCESS')],
        ['day=01/part-1', 'file', at('p/day=01/part-1')],
        ['day=02/part-2', 'file', at('p/day=02/part-2')],
        ['part-0', 'file', at('p/part-0')],
      ]);
      expect((await fsys.list(at('p/part-0'))).map((e) => [e.name, e.type, e.size])).to.deep.equal([['part-0', 'file', 3]]);
    });

    it('a missing path: stat undefined, exists false (under a missing bucket or top folder too), list refuses', async () => {
      expect(await fsys.exists(b.missingRoot)).to.equal(false);
      expect(await fsys.exists(at('nothing'))).to.equal(false);
      expect(await fsys.stat(at('nothing'))).to.equal(undefined);
      expect(await fsys.stat(b.missingRoot)).to.equal(undefined);
      const err = await rejection(fsys.list(at('nothing')));
      expect(err).to.be.instanceOf(PathNotFoundError);
      expect((err as Error).message).to.include(at('nothing'));
    });

    it('a missing source fails alike for cp, mv, copyToLocal and copyFromLocal; rm and rmdir of missing paths succeed', async () => {
      for (const attempt of [
        () => fsys.cp(at('nothing'), at('x')),
        () => fsys.mv(at('nothing'), at('x')),
        () => fsys.copyToLocal(at('nothing'), path.join(local, 'x')),
        () => fsys.copyFromLocal(path.join(local, 'nothing'), at('x')),
      ]) {
        const err = await rejection(attempt());
        expect(err).to.be.instanceOf(PathNotFoundError);
        expect((err as Error).message).to.include('nothing');
      }
      await fsys.rm(at('nothing'));
      await fsys.rm(at('nothing'));
      await fsys.rmdir(at('nothing'));
      await fsys.rmdir(at('nothing'));
      expect(await b.files(root)).to.deep.equal([]);
    });

    it('cp: a target names the copy; a target ending in / means into that folder; copying again gives the same result', async () => {
      await b.seed(root, { 'src/a.csv': 'A', 'src/sub/b.csv': 'B', 'one.txt': '1' });
      await fsys.cp(at('one.txt'), at('copy.txt'));
      await fsys.cp(at('one.txt'), at('into/'));
      await fsys.cp(at('src'), at('exact'));
      await fsys.cp(at('src'), at('exact'));
      await fsys.cp(at('src'), at('dst/'));
      await fsys.cp(at('src'), at('dst/'));
      expect(await b.files(root)).to.deep.equal([
        'copy.txt',
        'dst/src/a.csv',
        'dst/src/sub/b.csv',
        'exact/a.csv',
        'exact/sub/b.csv',
        'into/one.txt',
        'one.txt',
        'src/a.csv',
        'src/sub/b.csv',
      ]);
      expect(await b.read(root, 'dst/src/sub/b.csv')).to.equal('B');
    });

    it('cp of a folder of 1,001 files into its own sub-folder is refused before anything is written', async function () {
      this.timeout(180_000); // seeding 1,001 objects into s3rver on a loaded machine
      const files: Record<string, string> = {};
      for (let i = 0; i < 1001; i++) files[`data/part-${String(i).padStart(5, '0')}`] = `${i}`;
      await b.seed(root, files);
      // 'snapshot' sorts after 'part-': a listing still being read would meet the copies.
      for (const target of ['data/snapshot', 'data/', 'data']) {
        const err = await rejection(fsys.cp(at('data'), at(target)));
        expect(err, target).to.be.instanceOf(CopyIntoItselfError);
        expect((err as Error).message).to.include(at('data'));
      }
      expect(await b.files(root)).to.have.length(1001);
    });

    it('mv of a folder into its own sub-folder is refused and loses nothing', async () => {
      await b.seed(root, { 'a/1': 'one', 'a/deep/2': 'two' });
      for (const target of ['a/backup', 'a/deep/', 'a']) {
        expect(await rejection(fsys.mv(at('a'), at(target))), target).to.be.instanceOf(CopyIntoItselfError);
      }
      expect(await rejection(fsys.mv(at('a/1'), at('a/1')))).to.be.instanceOf(CopyIntoItselfError);
      expect(await b.files(root)).to.deep.equal(['a/1', 'a/deep/2']);
      expect(await b.read(root, 'a/1')).to.equal('one');
    });

    it('mv moves a file or a folder (into a folder when the target ends in /), deleting only what it copied', async () => {
      await b.seed(root, { 'src/a': 'A', 'src/sub/b': 'B', 'f.txt': 'F' });
      await fsys.mv(at('f.txt'), at('moved/'));
      await b.duringNextMove(() => b.seed(root, { 'src/late': 'written during the move' }));
      await fsys.mv(at('src'), at('dst'));
      const after = await b.files(root);
      // The file written meanwhile is in exactly one place, whole: never deleted uncopied.
      const late = ['dst/late', 'src/late'].filter((f) => after.includes(f));
      expect(late).to.have.length(1);
      expect(await b.read(root, late[0])).to.equal('written during the move');
      expect(after.filter((f) => !f.endsWith('/late'))).to.deep.equal(['dst/a', 'dst/sub/b', 'moved/f.txt']);

      await fsys.mv(at('dst'), at('into/'));
      expect((await b.files(root)).filter((f) => !f.endsWith('/late'))).to.deep.equal(['into/dst/a', 'into/dst/sub/b', 'moved/f.txt']);

      // Onto a folder that is not empty: merged, as a copy would be (locally, rename cannot do it).
      await b.seed(root, { 'merged/keep': 'K', 'merged/sub/b': 'old' });
      await fsys.mv(at('into/dst'), at('merged'));
      expect((await b.files(root)).filter((f) => !f.endsWith('/late'))).to.deep.equal([
        'merged/a',
        'merged/keep',
        'merged/sub/b',
        'moved/f.txt',
      ]);
      expect(await b.read(root, 'merged/sub/b')).to.equal('B');
      expect(await fsys.exists(at('into/dst'))).to.equal(false);
    });

    it('a file is never written where a folder is, nor a folder where a file is', async () => {
      await b.seed(root, { 'dir/x': 'X', file: 'F' });
      const cases: [string, () => Promise<unknown>][] = [
        ['cp file onto folder', () => fsys.cp(at('file'), at('dir'))],
        ['cp folder onto file', () => fsys.cp(at('dir'), at('file'))],
        ['mv file onto folder', () => fsys.mv(at('file'), at('dir'))],
        ['mkdir on a file', () => fsys.mkdir(at('file'))],
      ];
      for (const [what, attempt] of cases) expect(await rejection(attempt()), what).to.be.instanceOf(TargetKindConflictError);
      expect(await b.files(root)).to.deep.equal(['dir/x', 'file']);
    });

    it('rm removes a file and refuses a folder; rmdir removes a folder and refuses a file', async () => {
      await b.seed(root, { 'dir/x': 'X', file: 'F', 'other/y': 'Y' });
      const folder = await rejection(fsys.rm(at('dir')));
      expect(folder).to.be.instanceOf(WrongEntryKindError);
      expect((folder as Error).message).to.include('use rmdir');
      expect(await rejection(fsys.rmdir(at('file')))).to.be.instanceOf(WrongEntryKindError);
      expect(await b.files(root)).to.deep.equal(['dir/x', 'file', 'other/y']);
      await fsys.rm(at('file'));
      await fsys.rmdir(at('dir'));
      expect(await b.files(root)).to.deep.equal(['other/y']);
    });

    it('copyToLocal: into an existing folder with /, never a file onto a folder, never a partial tree', async () => {
      await b.seed(root, { 'out/part-0': 'P0', 'out/sub/part-1': 'P1', 'report.csv': 'R' });
      fs.mkdirSync(path.join(local, 'downloads'));
      await fsys.copyToLocal(at('report.csv'), path.join(local, 'downloads') + '/');
      expect(fs.readFileSync(path.join(local, 'downloads', 'report.csv'), 'utf8')).to.equal('R');
      await fsys.copyToLocal(at('out'), path.join(local, 'downloads') + '/');
      expect(fs.readFileSync(path.join(local, 'downloads', 'out', 'sub', 'part-1'), 'utf8')).to.equal('P1');

      const onFolder = await rejection(fsys.copyToLocal(at('report.csv'), path.join(local, 'downloads')));
      expect(onFolder).to.be.instanceOf(TargetKindConflictError);
      expect((onFolder as Error).message).to.include("end the target with '/'");

      // A file where the copy needs a folder, deep inside: refused before the first file is written.
      fs.mkdirSync(path.join(local, 'merge'));
      fs.writeFileSync(path.join(local, 'merge', 'sub'), 'in the way');
      expect(await rejection(fsys.copyToLocal(at('out'), path.join(local, 'merge')))).to.be.instanceOf(TargetKindConflictError);
      expect(fs.readdirSync(path.join(local, 'merge'))).to.deep.equal(['sub']);
      expect(fs.readdirSync(path.join(local, 'downloads')).sort()).to.deep.equal(['out', 'report.csv']);
    });

    it('copyFromLocal: a target names the copy, a target ending in / means into that folder', async () => {
      fs.mkdirSync(path.join(local, 'tree', 'sub'), { recursive: true });
      fs.writeFileSync(path.join(local, 'tree', 'a'), 'A');
      fs.writeFileSync(path.join(local, 'tree', 'sub', 'b'), 'B');
      await fsys.copyFromLocal(path.join(local, 'tree'), at('exact'));
      await fsys.copyFromLocal(path.join(local, 'tree'), at('into/'));
      await fsys.copyFromLocal(path.join(local, 'tree', 'a'), at('files/'));
      expect(await b.files(root)).to.deep.equal(['exact/a', 'exact/sub/b', 'files/a', 'into/tree/a', 'into/tree/sub/b']);
    });
  });
}
