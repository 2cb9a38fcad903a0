import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The temporary directories made here and not removed yet. */
const left = new Set<string>();

/**
 * A new directory under the system's temporary directory, removed by removeTemporaryDirectory()
 * or, at the latest, when the process exits: a suite that never tears its harness down (a failed
 * `before`, a forgotten `afterEach`, mocha's `--exit`) leaves nothing in /tmp. Not on a kill by a
 * signal, which runs no exit handler.
 */
export function makeTemporaryDirectory(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (left.size === 0) process.once('exit', removeLeftDirectories);
  left.add(dir);
  return dir;
}

/** Removes a directory makeTemporaryDirectory() made, and all it holds. */
export function removeTemporaryDirectory(dir: string): void {
  left.delete(dir);
  if (left.size === 0) process.removeListener('exit', removeLeftDirectories);
  fs.rmSync(dir, { recursive: true, force: true });
}

function removeLeftDirectories(): void {
  // Synchronous, as an exit handler must be; a log file still open is unlinked all the same.
  for (const dir of left) fs.rmSync(dir, { recursive: true, force: true });
  left.clear();
}
