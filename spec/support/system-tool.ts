import * as fs from 'node:fs';
import * as path from 'node:path';

/** A program from the operating system that some specs drive for real, and how to install it. */
export interface SystemTool {
  /** What the spec runs: a name looked up in PATH, or an absolute path. */
  command: string;
  /** The Debian package that provides it. */
  aptPackage: string;
}

export const CHROMIUM: SystemTool = { command: '/usr/bin/chromium', aptPackage: 'chromium' };
export const GRAPHVIZ_DOT: SystemTool = { command: 'dot', aptPackage: 'graphviz' };
export const TMUX: SystemTool = { command: 'tmux', aptPackage: 'tmux' };
export const PGBOUNCER: SystemTool = { command: '/usr/sbin/pgbouncer', aptPackage: 'pgbouncer' };

/**
 * Call first in a `before` hook or an `it` (a `function`, not an arrow: it needs mocha's `this`).
 * A missing tool skips the spec with a console line that says how to install it, so that `npm test`
 * passes on a fresh machine; where SYNERGY_REQUIRE_TOOLS=1 (.ci/run sets it) it fails instead, so
 * that CI never passes by skipping.
 */
export function requireSystemTool(context: Mocha.Context, tool: SystemTool): void {
  if (isInstalled(tool.command)) return;
  const missing = `'${tool.command}' is not installed (Debian package ${tool.aptPackage}): install it with \`apt-get install -y ${tool.aptPackage}\``;
  if (process.env.SYNERGY_REQUIRE_TOOLS === '1') throw new Error(`${missing}; SYNERGY_REQUIRE_TOOLS=1 makes a missing tool fail`);
  console.warn(`      skipped, ${missing} (SYNERGY_REQUIRE_TOOLS=1 makes this a failure, as in CI)`);
  context.skip();
}

function isInstalled(command: string): boolean {
  const candidates = path.isAbsolute(command)
    ? [command]
    : (process.env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, command));
  return candidates.some((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * For a spec that needs what only root on Linux may do (mount a tmpfs, a PID namespace of its
 * own): skips it with a console line saying why, or fails where SYNERGY_REQUIRE_TOOLS=1 (CI runs
 * as root: a skip there would pass CI without the spec having run).
 */
export function requirePrivilege(context: Mocha.Context, available: boolean, what: string): void {
  if (available) return;
  const missing = `${what} needs Linux and root`;
  if (process.env.SYNERGY_REQUIRE_TOOLS === '1') throw new Error(`${missing}; SYNERGY_REQUIRE_TOOLS=1 makes this a failure`);
  console.warn(`      skipped: ${missing} (SYNERGY_REQUIRE_TOOLS=1 makes this a failure, as in CI)`);
  context.skip();
}
