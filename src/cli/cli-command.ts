import type { Command } from 'commander';
import type { CliContext } from './cli-context';

/**
 * One command of the CLI, in its own `commands/<name>.command.ts`: it declares its arguments,
 * options and action on the program. Add it to `commands/index.ts` and it exists.
 */
export interface CliCommand {
  register(program: Command, ctx: CliContext): void;
}
