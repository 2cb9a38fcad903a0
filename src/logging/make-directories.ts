import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * What these functions throw when a folder's parent exists but refuses a new folder with ENOENT,
 * as procfs does: `refusedBy` is that parent.
 */
export interface FolderRefusedError extends NodeJS.ErrnoException {
  refusedBy: string;
}

/**
 * `mkdir -p`, one folder at a time: walks up to the first folder that exists, then creates the
 * missing ones below it. Not `fs.mkdirSync(dir, { recursive: true })`: Node 20's recursive mkdir
 * loops for ever at 100% CPU where mkdir(2) answers ENOENT although the parent exists (under
 * /proc), so a log directory or a LocalFilesystem target there hung the engine; here that is an
 * error naming the folder that refused (FolderRefusedError). Only plain stat(2) and mkdir(2), whose
 * answers do not change between Node versions. Creates nothing when `directory` exists.
 */
export function makeDirectoriesSync(directory: string): void {
  const walk = missingFolders(path.resolve(directory));
  let step = walk.next();
  while (!step.done) step = walk.next(statSyncOrUndefined(step.value));
  for (const folder of step.value) {
    try {
      fs.mkdirSync(folder);
    } catch (err) {
      explain(err as NodeJS.ErrnoException, folder, statSyncOrUndefined(folder), statSyncOrUndefined(path.dirname(folder)));
    }
  }
}

/** makeDirectoriesSync without blocking the event loop. */
export async function makeDirectories(directory: string): Promise<void> {
  const walk = missingFolders(path.resolve(directory));
  let step = walk.next();
  while (!step.done) step = walk.next(await statOrUndefined(step.value));
  for (const folder of step.value) {
    try {
      await fs.promises.mkdir(folder);
    } catch (err) {
      explain(err as NodeJS.ErrnoException, folder, await statOrUndefined(folder), await statOrUndefined(path.dirname(folder)));
    }
  }
}

/**
 * The walk up, for either flavour: yields each folder to stat (from `target` up), takes its stat
 * (undefined: nothing there), and returns the folders to create, outermost first, below the first
 * that exists.
 */
function* missingFolders(target: string): Generator<string, string[], fs.Stats | undefined> {
  const missing: string[] = [];
  for (let folder = target; ; folder = path.dirname(folder)) {
    const stat = yield folder;
    if (stat) {
      assertDirectory(folder, stat, target);
      return missing;
    }
    missing.unshift(folder);
    if (path.dirname(folder) === folder) return missing;
  }
}

/** A file where a folder must be: EEXIST for the folder itself, ENOTDIR for a part of its path, as mkdir(2) says. */
function assertDirectory(folder: string, stat: fs.Stats, target: string): void {
  if (stat.isDirectory()) return;
  if (folder === target) throw errnoError('EEXIST', `file already exists, mkdir '${folder}'`, folder);
  throw errnoError('ENOTDIR', `not a directory, mkdir '${target}'`, target);
}

/**
 * A mkdir that failed: fine if the folder exists now (made meanwhile by another process); else an
 * error that says why. ENOENT with the parent in place is a parent that takes no new folder;
 * EEXIST with nothing there to stat is a dangling symbolic link.
 */
function explain(err: NodeJS.ErrnoException, folder: string, now: fs.Stats | undefined, parent: fs.Stats | undefined): void {
  if (now?.isDirectory()) return;
  if (err.code === 'ENOENT' && parent?.isDirectory()) {
    const refusedBy = path.dirname(folder);
    const refused = errnoError(
      'ENOENT',
      `${refusedBy} takes no new folder (a virtual file system such as /proc?), mkdir '${folder}'`,
      folder,
    );
    throw Object.assign(refused, { refusedBy }) satisfies FolderRefusedError;
  }
  if (err.code === 'EEXIST' && now === undefined) throw errnoError('ENOENT', `a dangling symbolic link, mkdir '${folder}'`, folder);
  throw err;
}

function errnoError(code: string, text: string, folder: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${text}`), { code, syscall: 'mkdir', path: folder });
}

function statSyncOrUndefined(folder: string): fs.Stats | undefined {
  try {
    return fs.statSync(folder);
  } catch (err) {
    return absentOrThrow(err);
  }
}

async function statOrUndefined(folder: string): Promise<fs.Stats | undefined> {
  try {
    return await fs.promises.stat(folder);
  } catch (err) {
    return absentOrThrow(err);
  }
}

/** Nothing there (ENOENT), or a file on the way (ENOTDIR: the walk up finds it): a folder to create. */
function absentOrThrow(err: unknown): undefined {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
  throw err;
}
