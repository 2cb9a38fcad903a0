import * as fs from 'node:fs';
import * as path from 'node:path';

/** Descriptors this process (its threads included) holds on files under `directory`, read from /proc. */
export function descriptorsUnder(directory: string): number {
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(directory + path.sep);
    } catch {
      return false; // closed while we looked
    }
  }).length;
}
