import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export type EntryKind = 'file' | 'directory';

/** What is at a local path (symbolic links followed, as cp does), or undefined when nothing is. */
export async function localKind(absolute: string): Promise<EntryKind | undefined> {
  try {
    return (await fs.stat(absolute)).isDirectory() ? 'directory' : 'file';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/**
 * The first place where writing `files` and `directories` (paths relative to `root`, '/'-separated)
 * would put a file on a folder or a folder on a file. Checked before a tree is written, so a
 * conflict deep inside fails the copy before its first file, not half-way with a partial tree.
 */
export async function findLocalConflict(
  root: string,
  files: Iterable<string>,
  directories: Iterable<string> = [],
): Promise<{ path: string; existing: EntryKind } | undefined> {
  const known = new Map<string, EntryKind | undefined>();
  const kindAt = async (absolute: string) => {
    if (!known.has(absolute)) known.set(absolute, await localKind(absolute));
    return known.get(absolute);
  };
  const want = async (relative: string, kind: EntryKind) => {
    const segments = relative.split('/').filter((s) => s !== '');
    // Every parent must be (or become) a folder.
    for (let i = 0; i < segments.length; i++) {
      const parent = path.join(root, ...segments.slice(0, i));
      if ((await kindAt(parent)) === 'file') return { path: parent, existing: 'file' as const };
    }
    const absolute = path.join(root, ...segments);
    const existing = await kindAt(absolute);
    if (existing !== undefined && existing !== kind) return { path: absolute, existing };
    return undefined;
  };
  for (const file of files) {
    const conflict = await want(file, 'file');
    if (conflict) return conflict;
  }
  for (const directory of directories) {
    const conflict = await want(directory, 'directory');
    if (conflict) return conflict;
  }
  return undefined;
}
