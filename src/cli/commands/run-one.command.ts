import type { CliCommand } from '../cli-command';
import { executeRunLazily } from '../run/execute-run.lazy';
import { addRunOptions, type RunCommandOptions } from '../run/run-command-options';

/** `run-one <flow> <step> -t <tp>`: that step alone, its dependencies already processed. */
export const runOneCommand: CliCommand = {
  register(program, ctx) {
    addRunOptions(
      program
        .command('run-one')
        .description('run one step again (its dependencies must be processed), on one cluster')
        .argument('<flow>', 'the flow')
        .argument('<step>', 'the step'),
    ).action(async (flow: string, step: string, options: RunCommandOptions) => {
      ctx.exitCode = await executeRunLazily(ctx, { flow, mode: 'run_one', step, options });
    });
  },
};
