import type { CliContext } from '../cli-context';
import { LineProgressView, type LineProgressOptions } from './line-progress.view';
import { NO_PROGRESS, type ProgressView } from './progress-view';
import type { RunProgress } from './run-progress';
import { TtyProgressView } from './tty-progress.view';
import { LARGE_RUN_STEPS, LARGE_RUN_TALLY_EVERY_MS } from '../render/large-run';

/**
 * The live view on a terminal; plain lines on a pipe or in cron (for a large run: its failures,
 * retries and a periodic tally); nothing for `--json` and `--no-progress`. A flow taller than the
 * terminal gets lines too: a redrawn view that does not fit scrolls into garbage.
 */
export function chooseView(
  ctx: CliContext,
  progress: RunProgress,
  options: { json?: boolean; progress: boolean },
  lines: LineProgressOptions = {},
): ProgressView {
  if (options.json || !options.progress) return NO_PROGRESS;
  const fits = progress.all().length + 3 <= (ctx.stdout.rows ?? 24);
  if (ctx.stdout.isTTY && fits) return new TtyProgressView(progress);
  // Off a terminal, a large run's log gets its problems and a tally, not two lines per step.
  const large = !ctx.stdout.isTTY && progress.counts().total > LARGE_RUN_STEPS;
  const shape: LineProgressOptions = large ? { steps: 'problems', tallyEveryMs: LARGE_RUN_TALLY_EVERY_MS } : {};
  return new LineProgressView(progress, (line) => ctx.print(line), { ...shape, ...lines });
}
