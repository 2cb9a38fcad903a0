import type { CliCommand } from '../cli-command';

/** `pause <flow>`: stops a flow's schedule, for every scheduler on the database, until `resume`. */
export const pauseCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('pause')
      .description('pause a scheduled flow: no scheduler starts its runs until resume (runs in flight go on)')
      .argument('<flow>', 'the flow')
      .option('--json', 'print JSON')
      .action(async (flow: string, options: { json?: boolean }) => {
        await ctx.app.scheduler().pause(flow);
        if (options.json) ctx.printJson({ flow, paused: true });
        else ctx.print(`paused ${flow}: no scheduler starts its runs until '${ctx.programName} resume ${flow}'`);
      });
  },
};
