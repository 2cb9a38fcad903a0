import { CliUsageError } from '../../errors';
import type { CliCommand } from '../cli-command';
import { MAX_TIMER_MS } from '../../config/max-timer-ms';
import { MIN_TICK_MS } from '../../scheduler/tick-interval';
import { wholeNumberBetween } from '../options/positive-int.option';
import { describeSchedule } from '../render/schedule.format';
import { describeRunEnd } from '../render/scheduled-run.format';
import type { SkipReason } from '../../scheduler/tick-report';
import { describeProcess, thisProcess } from '../../persistence/lease/process-identity';
import { untilStopSignal } from '../until-stop-signal';

/** Skips that leave a period failed for good: said once, not at every tick that reads it again. */
const LEFT_FAILED: ReadonlySet<SkipReason> = new Set(['retries-exhausted', 'failed']);

/**
 * `scheduler [--tick-ms 60000]`: runs the scheduled flows, period after period, until SIGINT or
 * SIGTERM. A signal stops the ticks; runs in flight are cancelled and get the grace period to
 * record their states (the CLI's signal handling, as for `run`), then the process exits.
 */
export const schedulerCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('scheduler')
      .description('run the scheduled flows (@Flow({ schedule })) period after period, catching up missed ones, until Ctrl-C')
      .option(
        '--tick-ms <ms>',
        `how often to look for due periods, in ms (${MIN_TICK_MS} or more)`,
        wholeNumberBetween(MIN_TICK_MS, MAX_TIMER_MS, ' of milliseconds'),
        60_000,
      )
      .action(async (options: { tickMs: number }) => {
        const scheduled = ctx.app.flows().filter((name) => ctx.app.definition(name).schedule);
        if (!scheduled.length)
          throw new CliUsageError(
            "no flow of this application has a schedule: add @Flow({ schedule: { every: 'day', start: '2026010100' } })",
          );
        const scheduler = ctx.app.scheduler({ programName: ctx.programName });
        // A paused flow's due periods wait without a word at every tick: said once here, as `plan` says it.
        for (const name of scheduled) {
          // A database not reachable yet is the ticks' to wait through (onError), not a reason not to start.
          const paused = (await scheduler.isPaused(name).catch(() => false))
            ? `; PAUSED: no run starts until '${ctx.programName} resume ${name}'`
            : '';
          ctx.print(`${name}: ${describeSchedule(ctx.app.definition(name).schedule!)}${paused}`);
        }
        const failures: unknown[] = [];
        const leftFailed = new Set<string>();
        // Periods another engine holds: said once, again only if one is held anew after a run of it started here.
        const heldSaid = new Set<string>();
        // Each end line reads its run's history first; they are all printed before the stop line.
        const endLines = new Set<Promise<void>>();
        scheduler.start({
          tickMs: options.tickMs,
          onTick: (report) => {
            for (const run of report.triggered) {
              heldSaid.delete(`${run.flow} ${run.timeperiod}`);
              ctx.print(`started ${run.flow} ${run.timeperiod} (${run.mode}, attempt ${run.attempt}: ${run.message})`);
            }
            for (const skip of report.skipped) {
              const key = `${skip.flow} ${skip.timeperiod}`;
              if (skip.reason === 'held-elsewhere' && !heldSaid.has(key)) {
                heldSaid.add(key);
                ctx.print(`skipped ${key}: ${skip.message}`);
              }
              if (!LEFT_FAILED.has(skip.reason) || leftFailed.has(key)) continue;
              leftFailed.add(key);
              ctx.print(`left ${key} ${skip.message}`);
            }
          },
          onRunEnd: (run) => {
            const record = run.result ? ctx.app.historyRun(run.result.runId).catch(() => undefined) : Promise.resolve(undefined);
            const line = record.then((found) => ctx.print(describeRunEnd(run, found, ctx.app.logs.redact)));
            endLines.add(line);
            void line.finally(() => endLines.delete(line));
          },
          onError: (err) => {
            failures.push(err);
            ctx.printError(`synergy-flow scheduler: a tick failed, the next one tries again: ${(err as Error)?.message ?? String(err)}`);
          },
        });
        // Its instance id is the one FlowLockedError and the lease logs name: an operator finds this process by it.
        ctx.print(
          `synergy-flow scheduler: ticking every ${options.tickMs} ms (UTC periods, ${ctx.app.describeDatabase()}) ` +
            `as ${describeProcess(thisProcess)}; Ctrl-C stops`,
        );
        const signal = await untilStopSignal();
        // Runs in flight are the CLI's signal handling's: cancelled, given the grace period to record their states.
        await scheduler.stop();
        await Promise.all([...endLines]);
        ctx.print(`synergy-flow scheduler stopped (${signal})`);
      });
  },
};
