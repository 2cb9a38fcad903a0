import { spawn } from 'node:child_process';
import { ClusterError } from '../errors';
import type { CommandOptions, CommandResult } from './cluster';

const STDERR_TAIL_LINES = 20;
const STDOUT_CAP_CHARS = 1024 * 1024;

/**
 * Runs one program as a child process in its own process group, streaming its output line by line
 * to the logger. Aborting the signal kills the whole group (a shell's grandchildren too), so a
 * cancelled or timed-out step leaves no orphans behind.
 */
export function runProcess(file: string, args: readonly string[], options: CommandOptions & { clusterName: string; display: string }): Promise<CommandResult> {
  const { logger, signal, clusterName, display } = options;
  return new Promise<CommandResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ClusterError(`command not started, the step was aborted: ${display}`, { cluster: clusterName }));
      return;
    }
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: options.env ? { ...process.env, ...options.env } : process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    const stderrTail: string[] = [];
    const lines = (stream: NodeJS.ReadableStream, onLine: (line: string) => void) => {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        const text = rest + chunk.toString('utf8');
        const parts = text.split('\n');
        rest = parts.pop() ?? '';
        parts.forEach(onLine);
      });
      // A last line without a newline (`printf 'bad input' >&2; exit 1`) is often the very reason.
      stream.once('end', () => rest && onLine(rest));
    };
    const onStdout = (line: string) => {
      if (stdout.length < STDOUT_CAP_CHARS) stdout += line + '\n';
      logger?.info(line);
    };
    const onStderr = (line: string) => {
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      logger?.warn(line);
    };
    lines(child.stdout, onStdout);
    lines(child.stderr, onStderr);

    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    };
    signal?.addEventListener('abort', killGroup, { once: true });

    child.once('error', (err: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', killGroup);
      const hint = err.code === 'ENOENT' ? `'${file}' is not installed on this machine (or not on PATH)` : err.message;
      reject(new ClusterError(`cannot run ${display} on cluster '${clusterName}': ${hint}`, { cluster: clusterName }, { cause: err }));
    });
    child.once('close', (code, sig) => {
      signal?.removeEventListener('abort', killGroup);
      if (code === 0) {
        resolve({ exitCode: 0, stdout });
        return;
      }
      const tail = stderrTail.join('\n');
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
