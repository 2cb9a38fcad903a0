import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** A child process spawned with piped stdout and stderr (its stdin piped or not). */
export type PipedChild = ChildProcessByStdio<Writable | null, Readable, Readable>;

/**
 * Resolves with the first line `child` prints on stdout that `isReady` accepts (by default its
 * first line): how the servers the specs and benchmarks start say they are up. Rejects, naming
 * `name` and quoting what the child printed, if it fails to start or exits before.
 *
 * Once settled it stops listening, so that another reader can take the child's later lines.
 */
export function readyLine(child: PipedChild, name: string, isReady: (line: string) => boolean = () => true): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const onStdout = (chunk: Buffer | string) => {
      out += chunk.toString();
      const lines = out.split('\n');
      const ready = lines.slice(0, -1).find(isReady);
      if (ready !== undefined) settle(() => resolve(ready));
    };
    const onStderr = (chunk: Buffer | string) => (err += chunk.toString());
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      // A server that logs to stdout (redis-server) says why it stopped there.
      const said = err.trim() || out.trim().split('\n').slice(-5).join('\n');
      settle(() => reject(new Error(`${name} exited (${signal ?? `code ${code}`}) before it was ready: ${said}`)));
    };
    const onError = (error: Error) => settle(() => reject(error));
    const settle = (then: () => void) => {
      child.stdout.off('data', onStdout);
      child.stderr.off('data', onStderr);
      child.off('exit', onExit);
      child.off('error', onError);
      then();
    };
    child.stdout.on('data', onStdout);
    child.stderr.on('data', onStderr);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** The first line of `child`'s stdout, parsed as JSON (`{"port":5432}`); a line that is not JSON rejects. */
export async function firstJsonLine<T>(child: PipedChild, name: string): Promise<T> {
  const line = await readyLine(child, name);
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`${name} printed ${JSON.stringify(line)} where its first line should be JSON`);
  }
}
