import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Descriptors this process (its threads included) holds on files under `directory`, read from
 * /proc rather than asked of the engine; null where there is no /proc. The benchmark reports it,
 * and the log specs assert with it.
 */
export function openFilesUnder(directory: string): number | null {
  let fds: string[];
  try {
    fds = fs.readdirSync('/proc/self/fd');
  } catch {
    return null;
  }
  return fds.filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(directory + path.sep);
    } catch {
      return false; // closed while we looked
    }
  }).length;
}
