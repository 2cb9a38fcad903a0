import type { CliCommand } from '../cli-command';

/** `resume <flow>`: restarts a paused flow's schedule, for every scheduler on the database. */
export const resumeCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('resume')
      .description('resume a paused flow: the next tick catches up what came due meanwhile')
      .argument('<flow>', 'the flow')
      .option('--json', 'print JSON')
      .action(async (flow: string, options: { json?: boolean }) => {
        await ctx.app.scheduler().resume(flow);
        if (options.json) ctx.printJson({ flow, paused: false });
        else ctx.print(`resumed ${flow}: its due periods start at the next tick`);
      });
  },
};
