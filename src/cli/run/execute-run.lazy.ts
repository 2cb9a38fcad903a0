import type { CliContext } from '../cli-context';
import type { RunRequest } from './execute-run';

/**
 * `executeRun`, required when a run command runs: the progress views, the status renderer and the
 * run plan it loads are not what `--help`, `list` or the other commands need to start.
 */
export function executeRunLazily(ctx: CliContext, request: RunRequest): Promise<number> {
  return (require('./execute-run') as typeof import('./execute-run')).executeRun(ctx, request);
}
