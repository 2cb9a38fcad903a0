import { fork } from 'node:child_process';
import type { BenchJob, JobFigures } from './scenario.job';

/** The flag run.js is started with in a child: the job follows as JSON. */
export const CHILD_FLAG = '--child';

/**
 * Runs a job in a fresh Node process (this same script, with CHILD_FLAG): its peak RSS is its own,
 * and nothing a previous scenario left on the heap or in tsyringe's and reflect-metadata's
 * registries weighs on it.
 */
export function runInChild(
  script: string,
  job: BenchJob,
  execArgv: readonly string[] = ['--enable-source-maps', '--expose-gc'],
): Promise<JobFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [CHILD_FLAG, JSON.stringify(job)], {
      execArgv: [...execArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let figures: JobFigures | undefined;
    child.on('message', (message) => (figures = message as JobFigures));
    child.on('error', reject);
    child.on('exit', (code) =>
      figures && code === 0 ? resolve(figures) : reject(new Error(`benchmark job ${describe(job)} exited with code ${code}`)),
    );
  });
}

/** The child's side: runs the job and hands the figures back over the IPC channel. */
export async function serveChild(job: BenchJob, run: (job: BenchJob) => Promise<JobFigures>): Promise<void> {
  const figures = await run(job);
  await new Promise<void>((resolve, reject) => process.send!(figures, (err: Error | null) => (err ? reject(err) : resolve())));
}

/** The job without its database options: they hold the bench's PostgreSQL password, which no error may carry. */
function describe(job: BenchJob): string {
  return JSON.stringify(job, (key, value) => (key === 'postgres' ? '(database options)' : value));
}
