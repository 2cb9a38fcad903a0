import { ClusterError } from '../errors';
import type { CommandOptions, CommandResult } from './cluster';
import { OutputLineSplitter } from './output-line.splitter';
import { StderrTail } from './stderr-tail';

const STDOUT_CAP_CHARS = 1024 * 1024;

/**
 * Runs one program as a child process in its own process group, streaming its output line by line
 * to the logger. Aborting the signal kills the whole group (a shell's grandchildren too), so a
 * cancelled or timed-out step leaves no orphans behind.
 */
export function runProcess(
  file: string,
  args: readonly string[],
  options: CommandOptions & { clusterName: string; display: string },
): Promise<CommandResult> {
  const { logger, signal, clusterName, display } = options;
  return new Promise<CommandResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ClusterError(`command not started, the step was aborted: ${display}`, { cluster: clusterName }));
      return;
    }
    // Required at the first command, not imported: child_process is among Node's slowest modules to load, and `--help` or `list` run none.
    const { spawn } = require('node:child_process') as typeof import('node:child_process');
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: options.env ? { ...process.env, ...options.env } : process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    // First, before anything else can throw: when the machine is out of descriptors (EMFILE) Node
    // emits 'error' without creating the output streams, and an unheard 'error' ends the process.
    child.once('error', (err: NodeJS.ErrnoException) => onSpawnError(err));
    let stdout = '';
    let stdoutLinesLeftOut = 0;
    const stderrTail = new StderrTail();
    const stdoutLines = new OutputLineSplitter((line, terminated) => {
      if (stdout.length < STDOUT_CAP_CHARS) stdout += terminated ? `${line}\n` : line;
      else stdoutLinesLeftOut++;
      logger?.info(line);
    });
    const stderrLines = new OutputLineSplitter((line) => {
      stderrTail.add(line);
      logger?.warn(line);
    });
    // Absent when the spawn failed: the 'error' below says why.
    child.stdout?.on('data', (chunk: Buffer) => stdoutLines.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderrLines.push(chunk));
    // 'close' comes after both streams ended: their last lines are in by then.
    child.stdout?.once('end', () => stdoutLines.end());
    child.stderr?.once('end', () => stderrLines.end());

    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    };
    signal?.addEventListener('abort', killGroup, { once: true });

    function onSpawnError(err: NodeJS.ErrnoException): void {
      signal?.removeEventListener('abort', killGroup);
      const hint =
        err.code === 'ENOENT'
          ? `'${file}' is not installed on this machine (or not on PATH)`
          : err.code === 'EMFILE' || err.code === 'ENFILE'
            ? `${err.message}: this process has no file descriptor left (raise 'ulimit -n', or look for what holds them)`
            : err.message;
      reject(new ClusterError(`cannot run ${display} on cluster '${clusterName}': ${hint}`, { cluster: clusterName }, { cause: err }));
    }
    child.once('close', (code, sig) => {
      signal?.removeEventListener('abort', killGroup);
      if (code === 0) {
        resolve({
          exitCode: 0,
          stdout: stdoutLinesLeftOut ? `${stdout}[stdout cut: ${stdoutLinesLeftOut} more line(s) in the step log]\n` : stdout,
        });
        return;
      }
      const tail = stderrTail.text();
      const why = signal?.aborted ? 'was aborted' : sig ? `was killed by ${sig}` : `exited with code ${code}`;
      reject(
        new ClusterError(`${display} ${why} on cluster '${clusterName}'${tail ? `; stderr ends with:\n${tail}` : ''}`, {
          cluster: clusterName,
          exitCode: code,
          signal: sig,
          stderrTail: tail,
        }),
      );
    });
  });
}
