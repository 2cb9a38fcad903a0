import * as fs from 'node:fs';
import * as path from 'node:path';
import { Flow, Main, Step, type StepContext } from '../src';

/** Where the scheduled pair writes: `ctx.settings.dataDirectory`, by default `sample-data/` in the current directory. */
export const sampleData = (ctx: StepContext, ...parts: string[]) =>
  path.resolve(String(ctx.settings.dataDirectory ?? 'sample-data'), ...parts);

@Step({ name: 'ingest' })
class Ingest {
  @Main() run(ctx: StepContext) {
    // One "event count" per hour: the hour of the day plus one, so a day's roll-up is 300.
    const events = Number(ctx.timeperiod.slice(8, 10)) + 1;
    fs.mkdirSync(sampleData(ctx, 'ingest'), { recursive: true });
    fs.writeFileSync(sampleData(ctx, 'ingest', `${ctx.timeperiod}.txt`), `${events}\n`);
    ctx.logger.info(`ingested ${events} events`);
  }
}

/**
 * The scheduled pair's hourly half: every hour (UTC) from 2026-12-01, each hour once it has ended,
 * up to four hours at once while it catches up (`synergy-flow plan hourly_ingest` shows what is next).
 */
@Flow({
  name: 'hourly_ingest',
  steps: [Ingest],
  description: 'scheduled every hour: counts the hour’s events into sample-data/ingest/',
  schedule: { every: 'hour', start: '2026120100', maxActiveRuns: 4, retries: 2, retryDelayMs: 60_000 },
})
export class HourlyIngestFlow {}
