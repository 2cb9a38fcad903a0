import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChecked } from './command.runner';

export interface PackageSnapshot {
  /** A git repository of the project as it is in the working tree, without dist/: a clean clone. */
  repository: string;
  /** What `npm pack` made from it, as the registry would serve it. */
  tarball: string;
  packMs: number;
}

/**
 * Copies the project's files (tracked and new, not ignored: what a clone of this commit would hold)
 * into a fresh git repository, commits them, and packs it. Its node_modules is a symlink to the
 * project's, so packing builds without installing; npm never sees it (git ignores it, `files`
 * leaves it out), and a git install clones the repository without it.
 */
export async function snapshotAndPack(project: string, into: string): Promise<PackageSnapshot> {
  const repository = path.join(into, 'synergy-flow');
  const listed = await runChecked('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: project });
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const source = path.join(project, file);
    if (!fs.existsSync(source)) continue; // deleted in the working tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(repository, file)), { recursive: true });
    fs.copyFileSync(source, path.join(repository, file));
  }
  fs.symlinkSync(path.join(project, 'node_modules'), path.join(repository, 'node_modules'));
  const git = (...args: string[]) =>
    runChecked('git', ['-c', 'user.name=spec', '-c', 'user.email=spec@localhost', ...args], { cwd: repository });
  await git('init', '--quiet');
  fs.appendFileSync(path.join(repository, '.git', 'info', 'exclude'), 'node_modules\n');
  await git('add', '--all');
  await git('commit', '--quiet', '--message', 'snapshot of the working tree');
  const packed = await runChecked('npm', ['pack', '--pack-destination', into], { cwd: repository });
  const tarball = path.join(into, packed.stdout.trim().split('\n').pop()!);
  return { repository, tarball, packMs: packed.ms };
}
