import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * synergy-flow's own version, from its package.json: compiled files sit in dist/src/cli/, three
 * folders below the package root, in this repository and in an installed package alike.
 */
export function packageVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}
