import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface LocalTreeEntry {
  absolute: string;
  /** Relative to the root, with '/' separators: the key suffix on the object store. */
  relative: string;
  kind: 'file' | 'empty-directory';
}

/**
 * The files under a directory, depth first, and its empty directories (an object store has no
 * directories, so they need a marker to survive the copy). Symbolic links are followed like cp does.
 */
export async function* walkLocalTree(root: string, relative = ''): AsyncGenerator<LocalTreeEntry> {
  const dir = path.join(root, relative);
  const names = (await fs.readdir(dir)).sort();
  if (names.length === 0 && relative !== '') {
    yield { absolute: dir, relative, kind: 'empty-directory' };
    return;
  }
  for (const name of names) {
    const childRelative = relative === '' ? name : `${relative}/${name}`;
    const absolute = path.join(root, childRelative);
    const stat = await fs.stat(absolute);
    if (stat.isDirectory()) yield* walkLocalTree(root, childRelative);
    else if (stat.isFile()) yield { absolute, relative: childRelative, kind: 'file' };
  }
}
