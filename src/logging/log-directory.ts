import * as fs from 'node:fs';
import * as path from 'node:path';
import { LogDirectoryError } from '../errors/log-directory.error';
import { makeDirectoriesSync } from './make-directories';

/**
 * Creates the log directory and proves it can be written, by writing and removing a file in it:
 * the permission bits alone do not say it (root ignores them, a read-only mount does not show in
 * them). Log lines are written later, on a background thread, where a failure can only be
 * reported, so a directory that cannot take them must stop bootstrap() before anything runs.
 */
export function assertLogDirectoryWritable(directory: string): void {
  const resolved = path.resolve(directory);
  try {
    makeDirectoriesSync(resolved);
    const probe = path.join(resolved, `.synergy-flow-write-check-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
  } catch (err) {
    throw new LogDirectoryError(resolved, err as NodeJS.ErrnoException);
  }
}
