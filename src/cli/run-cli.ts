import { describeError } from '../engine/describe-error';
import * as path from 'node:path';
import { CommanderError, type Command } from 'commander';
import type { SynergyFlowApp } from '../application';
import { SynergyFlowError } from '../errors/synergy-flow.error';
import { createCliContext, type CliContext } from './cli-context';
import { buildProgram } from './cli-program';
import { ExitCode } from './exit-codes';

export interface CliOptions {
  /** How users invoke the program, shown in usage and hints; default `node <entry script>`. */
  name?: string;
}

/**
 * Runs one command line against an app, then closes the app: the command line is the last thing
 * an entry file does. Resolves to the exit code; never throws, never calls process.exit.
 */
export async function runCli(app: SynergyFlowApp, argv: readonly string[] = process.argv.slice(2), options: CliOptions = {}): Promise<number> {
  const ctx = createCliContext(app, options.name ?? defaultProgramName());
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    return reportError(ctx, program, err, argv.includes('--verbose'));
  } finally {
    await app.close();
  }
}

/** One line on stderr, no stack trace unless --verbose; the exit code says which kind of failure. */
function reportError(ctx: CliContext, program: Command, err: unknown, verbose: boolean): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.OK;
    // `help [command]` (0), or a bare program name (1): commander has printed the usage already.
    if (err.code === 'commander.help') return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    const commands = err.code === 'commander.unknownCommand' ? `; the commands are ${program.commands.map((c) => c.name()).join(', ')}` : '';
    const help = `'${ctx.programName}${ctx.command ? ` ${ctx.command}` : ''} --help'`;
    ctx.stderr.write(`error: ${oneLine(err.message.replace(/^error: /, '')).replace(/\.$/, '')}${commands}; see ${help}\n`);
    return ExitCode.USAGE;
  }
  // Our own errors are bad requests (unknown flow, blocked step...): their message is the help.
  const known = err instanceof SynergyFlowError;
  const message = err instanceof Error ? err.message : String(err);
  ctx.stderr.write(`error: ${oneLine(known ? message : describeError(err))}\n`);
  if (verbose && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
  else if (!known) ctx.stderr.write('(run it again with --verbose for the stack trace)\n');
  return known ? ExitCode.USAGE : ExitCode.FLOW_INVALID;
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
