import type { CliCommand } from '../cli-command';
import { renderTable } from '../render/table.renderer';

/** `list`: every flow of the app, its step count and its latest run. */
export const listCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('list')
      .description('list the flows, their step counts and their latest runs')
      .option('--json', 'print JSON')
      .action(async (options: { json?: boolean }) => {
        const flows = await Promise.all(
          ctx.app.flows().map(async (name) => {
            const definition = ctx.app.definition(name);
            const [latest] = await ctx.app.runs(name, { limit: 1 });
            return {
              name,
              description: definition.description ?? null,
              steps: definition.graph.steps.length,
              latestRun: latest
                ? {
                    timeperiod: latest.timeperiod,
                    state: latest.state,
                    runMode: latest.runMode,
                    finishedAt: latest.finishedAt?.toISOString() ?? null,
                  }
                : null,
            };
          }),
        );
        if (options.json) return ctx.printJson(flows);
        const rows = flows.map((f) => [
          f.name,
          String(f.steps),
          f.latestRun?.timeperiod ?? '-',
          f.latestRun?.state ?? 'never ran',
          f.description ?? '',
        ]);
        ctx.print(renderTable(['FLOW', 'STEPS', 'LATEST RUN', 'STATE', 'DESCRIPTION'], rows, { alignRight: [1] }));
      });
  },
};
