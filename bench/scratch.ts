import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Set by the process that made the scratch root, so the processes it forks write under it too. */
const ROOT_ENV = 'SYNERGY_BENCH_SCRATCH';

/** Where the scratch root goes: the system's temporary directory, unless this names another one (another disk, say). */
export const BENCH_DIR_ENV = 'SYNERGY_BENCH_DIR';

/**
 * A fresh directory for one scenario or baseline, under the benchmark's scratch root.
 *
 * Nothing under the root is removed until the process that made it exits. Removing files is not
 * free on every disk: on this machine's ext4, which has no journal, the kernel avoids reusing an
 * inode for a minute after its file is deleted (six while its inode table block is unwritten),
 * and each file created meanwhile in the same block group first steps over every such inode: a
 * scenario that cleaned up after the one before would have measured that clean-up, not the engine.
 */
export function scratchDirectory(prefix: string): string {
  return fs.mkdtempSync(path.join(scratchRoot(), prefix));
}

function scratchRoot(): string {
  const inherited = process.env[ROOT_ENV];
  if (inherited && fs.existsSync(inherited)) return inherited;
  const root = fs.mkdtempSync(path.join(path.resolve(process.env[BENCH_DIR_ENV] || os.tmpdir()), 'synergy-bench-'));
  process.env[ROOT_ENV] = root;
  process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  // Interrupted (Ctrl-C, a CI timeout): still exit through the clean-up above.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));
  return root;
}
