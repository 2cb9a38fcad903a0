import type { SynergyFlowApp } from '../application';
import { describeError } from '../engine/describe-error';
import { ConfigurationError } from '../errors';
import { ExitCode } from './exit-codes';
import { cliErrorMessage } from './render/cli-error.message';
import type { CliOptions } from './run-cli';

/**
 * An entry file's command line, whole: `if (require.main === module) void runCommandLine(app)`.
 * Waits for the app bootstrap() sets up, runs its `cli()` and sets `process.exitCode`. A bootstrap
 * that failed (a dependency cycle, a refused name, wrong options, a database URL of another kind)
 * is one line on stderr and exit code 2, as `synergy-flow --app` says it; `--verbose` adds the
 * stack. Without it the entry's promise rejected unhandled: Node printed the engine's source line
 * and a stack trace, and exited 1, the code of a failed run.
 *
 * @param app what bootstrap() returned (awaited or not)
 * @param argv the arguments after the program name (default: the process's)
 * @param options how users invoke the program, for the usage text
 * @returns the exit code, also set as `process.exitCode`
 * @example
 * ```ts
 * // src/main.ts: `node dist/main.js run daily_etl -t 2026112600`
 * export const app = bootstrap({ flows: [DailyEtl] });
 * if (require.main === module) void runCommandLine(app);
 * ```
 */
export async function runCommandLine(
  app: SynergyFlowApp | PromiseLike<SynergyFlowApp>,
  argv: string[] = process.argv.slice(2),
  options?: CliOptions,
): Promise<number> {
  let ready: SynergyFlowApp;
  try {
    ready = await app;
  } catch (err) {
    process.stderr.write(`error: the app failed to start: ${startFailure(err)}\n`);
    if (argv.includes('--verbose') && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return (process.exitCode = ExitCode.USAGE);
  }
  return (process.exitCode = await ready.cli(argv, options));
}

/** An options error on one line (its message is a list); any other by its name and message. */
function startFailure(err: unknown): string {
  return err instanceof ConfigurationError ? cliErrorMessage(err, '') : describeError(err);
}
