import type { CliCommand } from '../cli-command';
import { executeRunLazily } from '../run/execute-run.lazy';
import { addRunOptions, type RunCommandOptions } from '../run/run-command-options';

/** `recover <flow> -t <tp>`: keep what was processed, run the rest. */
export const recoverCommand: CliCommand = {
  register(program, ctx) {
    addRunOptions(
      program.command('recover').description('keep the processed steps of an earlier run and run the rest').argument('<flow>', 'the flow'),
    ).action(async (flow: string, options: RunCommandOptions) => {
      ctx.exitCode = await executeRunLazily(ctx, { flow, mode: 'recover', options });
    });
  },
};
