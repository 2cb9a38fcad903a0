import type { StepContext } from '../engine/step-context';
import type { Action } from '../engine/action';

/** The arguments of {@link ShellCommandAction}. */
export interface ShellCommandArgs {
  /** Program and arguments, run without a shell: values are never re-parsed, whatever they hold. */
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
}

/** Runs a program on the step's cluster; its output goes to the step log. */
export class ShellCommandAction implements Action<ShellCommandArgs> {
  async run(ctx: StepContext, args: ShellCommandArgs): Promise<void> {
    await ctx.cluster.runCommand(args.argv, { cwd: args.cwd, env: args.env });
  }
}
