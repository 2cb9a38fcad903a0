import type { CliCommand } from '../cli-command';
import { executeRunLazily } from '../run/execute-run.lazy';
import { addRunOptions, type RunCommandOptions } from '../run/run-command-options';

/** `run-from <flow> <step> -t <tp>`: that step and everything downstream of it. */
export const runFromCommand: CliCommand = {
  register(program, ctx) {
    addRunOptions(
      program
        .command('run-from')
        .description('run a step and all its descendants again (its dependencies must be processed)')
        .argument('<flow>', 'the flow')
        .argument('<step>', 'the first step to run again'),
    ).action(async (flow: string, step: string, options: RunCommandOptions) => {
      ctx.exitCode = await executeRunLazily(ctx, { flow, mode: 'run_from', step, options });
    });
  },
};
