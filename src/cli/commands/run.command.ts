import type { CliCommand } from '../cli-command';
import { executeRunLazily } from '../run/execute-run.lazy';
import { addRunOptions, type RunCommandOptions } from '../run/run-command-options';

/** `run <flow> -t <tp>`: every step, from scratch. */
export const runCommand: CliCommand = {
  register(program, ctx) {
    addRunOptions(
      program
        .command('run')
        .description('run every step of a flow for a timeperiod (its earlier step records are purged)')
        .argument('<flow>', 'the flow'),
    ).action(async (flow: string, options: RunCommandOptions) => {
      ctx.exitCode = await executeRunLazily(ctx, { flow, mode: 'run', options });
    });
  },
};
