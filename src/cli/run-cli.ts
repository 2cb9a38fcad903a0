import { describeError } from '../engine/describe-error';
import * as path from 'node:path';
import { CommanderError, type Command } from 'commander';
import type { CliApplication, CliOptions } from './cli-application.port';
import { CliUsageError, DatabaseUnavailableError, LeaseLostError, SynergyFlowError } from '../errors';
import { createCliContext, type CliContext } from './cli-context';
import { buildProgram } from './cli-program';
import { ExitCode } from './exit-codes';
import { cliErrorMessage } from './render/cli-error.message';
import { environmentTypos } from './environment-typos';

export type { CliOptions };

/**
 * Runs one command line against an app, then closes the app: the command line is the last thing
 * an entry file does. Resolves to the exit code; never throws, never calls process.exit.
 */
export async function runCli(
  app: CliApplication,
  argv: readonly string[] = process.argv.slice(2),
  options: CliOptions = {},
): Promise<number> {
  const ctx = createCliContext(app, options.name ?? defaultProgramName());
  const program = buildProgram(ctx);
  for (const warning of environmentTypos()) ctx.printError(warning);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    return reportError(ctx, program, err, { verbose: argv.includes('--verbose'), json: argv.includes('--json') });
  } finally {
    await app.close();
  }
}

/**
 * One line on stderr, no stack trace unless --verbose; the exit code says which kind of failure.
 * With --json the error is a JSON object on stdout instead, where the script reading JSON looks.
 */
function reportError(ctx: CliContext, program: Command, err: unknown, { verbose, json }: { verbose: boolean; json: boolean }): number {
  const say = (name: string, message: string, code: number, errorCode: string | null = errorCodeOf(err)): number => {
    // An error may quote what it was given (a credential, a connection string, a step's output):
    // both ways of printing redact it, and printError makes it inert for the terminal.
    if (json) ctx.printJson({ error: { name, code: errorCode, message, exitCode: code } });
    else ctx.printError(`error: ${message}`);
    return code;
  };
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.OK;
    // `help [command]` (0), or a bare program name (1): commander has printed the usage already.
    if (err.code === 'commander.help') return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    const commands =
      err.code === 'commander.unknownCommand' ? `; the commands are ${program.commands.map((c) => c.name()).join(', ')}` : '';
    const help = `'${ctx.programName}${ctx.command ? ` ${ctx.command}` : ''} --help'`;
    return say(
      'UsageError',
      `${oneLine(err.message.replace(/^error: /, '')).replace(/\.$/, '')}${commands}; see ${help}`,
      ExitCode.USAGE,
      CliUsageError.code,
    );
  }
  // Our own errors are bad requests (unknown flow, blocked step...): their message is the help.
  const known = err instanceof SynergyFlowError;
  const name = err instanceof Error ? err.name : 'Error';
  const message = known ? cliErrorMessage(err, ctx.programName) : describeError(err);
  const code = say(name, oneLine(message), known && !isFailure(err) ? ExitCode.USAGE : ExitCode.FLOW_INVALID);
  if (verbose && err instanceof Error && err.stack) ctx.printError(err.stack);
  else if (!known && !json) ctx.stderr.write('(run it again with --verbose for the stack trace)\n');
  return code;
}

/** `ERR_SYNERGY_*` for our errors; a foreign error's own string code (`ENOENT`), else null. */
function errorCodeOf(err: unknown): string | null {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : null;
}

/**
 * Our errors that say a run failed on its way, not that the request was wrong: typing the command
 * again differently would not help, so they exit 1 like a failed run, not 2 like bad usage.
 */
function isFailure(err: unknown): boolean {
  return err instanceof LeaseLostError || err instanceof DatabaseUnavailableError;
}

/** commander puts its "Did you mean" on a second line; the user gets one line. */
function oneLine(text: string): string {
  return text
    .replace(/\n\(Did you mean (.+)\?\)/, ' (did you mean $1?)')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

function defaultProgramName(): string {
  const script = process.argv[1];
  if (!script) return 'synergy-flow';
  const relative = path.relative(process.cwd(), script);
  return `node ${relative.startsWith('..') || path.isAbsolute(relative) ? script : relative}`;
}
