import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * `<file>` -> `<file>.1` -> ... -> `<file>.<keepFiles>`, the oldest dropped, as the seed's
 * RotatingFileHandler did: `.1` is always the newest rotated file, so a reader reads
 * `.<n>` ... `.1`, then `<file>`, to have every line oldest first. The caller has closed `<file>`;
 * the next write creates it anew.
 */
export function rotateLogFile(file: string, keepFiles: number): void {
  for (let i = keepFiles - 1; i >= 1; i--) renameIfExists(`${file}.${i}`, `${file}.${i + 1}`);
  renameIfExists(file, `${file}.1`);
}

/** The rotated files of `file` that exist, oldest first (`.3`, `.2`, `.1`), then `file` itself if it exists. */
export function logFileGenerations(file: string, existing: readonly string[]): string[] {
  const base = path.basename(file);
  const numbers = existing
    .map((name) => (name.startsWith(`${base}.`) ? Number(name.slice(base.length + 1)) : NaN))
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => b - a);
  const files = numbers.map((n) => `${file}.${n}`);
  if (existing.includes(base)) files.push(file);
  return files;
}

function renameIfExists(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
