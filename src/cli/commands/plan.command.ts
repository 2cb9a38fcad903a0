import type { CliCommand } from '../cli-command';
import { positiveIntUpTo } from '../options/positive-int.option';
import { describeSchedule } from '../render/schedule.format';
import { renderTable } from '../render/table.renderer';

/** `plan <flow> [-n 10] [--json]`: a scheduled flow's next periods, with their status and when each is due. */
export const planCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('plan')
      .description(
        'show the next periods of a scheduled flow: running, failed, due or to come, paused or blocked, and when each is due (UTC)',
      )
      .argument('<flow>', 'the flow')
      .option('-n, --limit <n>', 'how many periods', positiveIntUpTo(1000), 10)
      .option('--json', 'print JSON')
      .action(async (flow: string, options: { limit: number; json?: boolean }) => {
        const scheduler = ctx.app.scheduler({ programName: ctx.programName });
        const plan = await scheduler.plan(flow, { limit: options.limit });
        const paused = await scheduler.isPaused(flow);
        const schedule = ctx.app.definition(flow).schedule!;
        if (options.json) {
          ctx.printJson({
            flow,
            schedule,
            paused,
            periods: plan.map((p) => ({
              timeperiod: p.timeperiod,
              status: p.status,
              dueAt: p.dueAt.toISOString(),
              ...(p.reason ? { reason: p.reason } : {}),
            })),
          });
          return;
        }
        ctx.print(`${flow}: ${describeSchedule(schedule)}${paused ? '; PAUSED' : ''}`);
        // A WHY column only when a period is held for a reason its status alone does not tell (paused, blocked).
        const why = plan.some((p) => p.reason);
        ctx.print(
          renderTable(
            ['TIMEPERIOD', 'STATUS', 'DUE (UTC)', ...(why ? ['WHY'] : [])],
            plan.map((p) => [p.timeperiod, p.status, p.dueAt.toISOString().replace('.000Z', 'Z'), ...(why ? [p.reason ?? ''] : [])]),
          ).trimEnd(),
        );
      });
  },
};
