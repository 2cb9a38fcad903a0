import { Command } from 'commander';
import type { CliContext } from './cli-context';
import { COMMANDS } from './commands';
import { packageVersion } from './package-version';

/** The commander program: global options, output routing, then every command. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command(ctx.programName)
    .description(`Runs and inspects the flows of this application: ${ctx.app.flows().join(', ') || '(none)'}.`)
    .version(packageVersion(), '-V, --version', 'print the version of synergy-flow')
    .option('--verbose', 'print the stack trace of an error')
    // Set before the commands are added: commander copies these settings into each of them.
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      // run-cli prints the error itself, as one line with a hint.
      outputError: () => undefined,
    })
    .hook('preSubcommand', (_program, command) => {
      ctx.command = command.name();
    });
  for (const command of COMMANDS) command.register(program, ctx);
  return program;
}
