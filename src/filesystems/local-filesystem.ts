import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CopyIntoItselfError, PathNotFoundError, TargetKindConflictError, WrongEntryKindError } from '../errors';
import { makeDirectories } from '../logging/make-directories';
import { isSameOrInside, resolveTarget } from './copy-target';
import type { Filesystem, FilesystemEntry, FilesystemStat, ListOptions } from './filesystem';
import { findLocalConflict, localKind, type EntryKind } from './local-kind';
import { walkLocalTree } from './local-tree';

/** rename(2) cannot do these: another device, or a folder onto a folder that is not empty. */
const RENAME_FALLBACK_CODES = new Set(['EXDEV', 'ENOTEMPTY', 'EEXIST']);

/** The local disk. URIs are paths; a `file://` prefix is accepted. Semantics: see `Filesystem`. */
export class LocalFilesystem implements Filesystem {
  async mkdir(uri: string): Promise<void> {
    const target = toPath(uri);
    if ((await localKind(target)) === 'file') throw new TargetKindConflictError('mkdir', uri, 'file');
    await makeDirectories(target);
  }

  async rmdir(uri: string): Promise<void> {
    if ((await localKind(toPath(uri))) === 'file') throw new WrongEntryKindError('rmdir', uri, 'file');
    await fs.rm(toPath(uri), { recursive: true, force: true });
  }

  async rm(uri: string): Promise<void> {
    if ((await localKind(toPath(uri))) === 'directory') throw new WrongEntryKindError('rm', uri, 'directory');
    await fs.rm(toPath(uri), { force: true });
  }

  async cp(from: string, to: string): Promise<void> {
    await this.copy('cp', from, to);
  }

  async mv(from: string, to: string): Promise<void> {
    const { source, kind, target } = await this.prepare('mv', from, to);
    await makeDirectories(path.dirname(target));
    try {
      await fs.rename(source, target);
    } catch (err) {
      if (!RENAME_FALLBACK_CODES.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
      await moveByCopy(source, kind, target);
    }
  }

  async copyToLocal(uri: string, localPath: string): Promise<void> {
    await this.copy('copyToLocal', uri, localPath);
  }

  async copyFromLocal(localPath: string, uri: string): Promise<void> {
    await this.copy('copyFromLocal', localPath, uri);
  }

  async exists(uri: string): Promise<boolean> {
    return (await localKind(toPath(uri))) !== undefined;
  }

  async stat(uri: string): Promise<FilesystemStat | undefined> {
    const kind = await localKind(toPath(uri));
    if (kind !== 'file') return kind && { type: kind };
    const stat = await fs.stat(toPath(uri));
    return { type: 'file', size: stat.size, modified: stat.mtime };
  }

  async list(uri: string, options: ListOptions = {}): Promise<FilesystemEntry[]> {
    const root = toPath(uri);
    const kind = await localKind(root);
    if (kind === undefined) throw new PathNotFoundError('list', uri);
    if (kind === 'file') return [await fileEntry(root, path.basename(root))];
    const entries: FilesystemEntry[] = [];
    if (options.recursive) {
      for await (const entry of walkLocalTree(root)) {
        if (entry.kind === 'file') entries.push(await fileEntry(entry.absolute, entry.relative));
      }
    } else {
      for (const name of await fs.readdir(root)) {
        const absolute = path.join(root, name);
        const childKind = await localKind(absolute);
        // A dangling symbolic link points at nothing: there is nothing to list.
        if (childKind === 'file') entries.push(await fileEntry(absolute, name));
        else if (childKind === 'directory') entries.push({ uri: absolute, name, type: 'directory' });
      }
    }
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private async copy(operation: string, from: string, to: string): Promise<void> {
    const { source, kind, target } = await this.prepare(operation, from, to);
    await makeDirectories(path.dirname(target));
    await fs.cp(source, target, { recursive: kind === 'directory' });
  }

  /** Resolves the target and refuses every bad case before anything is written. */
  private async prepare(operation: string, from: string, to: string): Promise<{ source: string; kind: EntryKind; target: string }> {
    const source = path.resolve(toPath(from));
    const target = path.resolve(resolveTarget(source, toPath(to)));
    const kind = await localKind(source);
    if (kind === undefined) throw new PathNotFoundError(operation, from);
    if (isSameOrInside(source, target)) throw new CopyIntoItselfError(operation, from, to);
    const conflict =
      kind === 'file'
        ? await findLocalConflict(path.dirname(target), [path.basename(target)])
        : await findLocalConflict(target, ...(await treeOf(source)));
    if (conflict) throw new TargetKindConflictError(operation, conflict.path, conflict.existing);
    return { source, kind, target };
  }
}

async function fileEntry(absolute: string, name: string): Promise<FilesystemEntry> {
  const stat = await fs.stat(absolute);
  return { uri: absolute, name, type: 'file', size: stat.size, modified: stat.mtime };
}

/** The relative files and empty folders of a local tree. */
async function treeOf(root: string): Promise<[string[], string[]]> {
  const files: string[] = [];
  const directories: string[] = [];
  for await (const entry of walkLocalTree(root)) (entry.kind === 'file' ? files : directories).push(entry.relative);
  return [files, directories];
}

/**
 * mv where rename cannot: copy every file, then delete exactly the files copied and the folders
 * they leave empty. A file written under the source meanwhile stays where it was written.
 */
async function moveByCopy(source: string, kind: EntryKind, target: string): Promise<void> {
  if (kind === 'file') {
    await fs.copyFile(source, target);
    await fs.rm(source);
    return;
  }
  const copied: string[] = [];
  const folders = new Set<string>();
  for await (const entry of walkLocalTree(source)) {
    const destination = path.join(target, entry.relative);
    if (entry.kind === 'empty-directory') {
      await makeDirectories(destination);
      folders.add(entry.absolute);
      continue;
    }
    await makeDirectories(path.dirname(destination));
    await fs.copyFile(entry.absolute, destination);
    copied.push(entry.absolute);
    for (let dir = path.dirname(entry.absolute); dir.startsWith(source); dir = path.dirname(dir)) folders.add(dir);
  }
  for (const file of copied) await fs.rm(file, { force: true });
  // Deepest first, so a folder is emptied of its subfolders before it is tried.
  for (const folder of [...folders].sort((a, b) => b.length - a.length)) {
    await fs.rmdir(folder).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOTEMPTY' && err.code !== 'ENOENT') throw err;
    });
  }
}

function toPath(uri: string): string {
  return uri.startsWith('file://') ? decodeURIComponent(new URL(uri).pathname) : uri;
}
