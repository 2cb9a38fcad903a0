import * as fs from 'node:fs';
import { Flow, Main, Step, type StepContext } from '../src';
import { nextTimeperiod } from '../src/timeperiod';
import { sampleData } from './hourly-ingest.flow';

@Step({ name: 'rollup' })
class Rollup {
  @Main() run(ctx: StepContext) {
    // The 24 hours of the day: the schedule's `after` made sure hourly_ingest processed each.
    let hour = ctx.timeperiod;
    let total = 0;
    for (let i = 0; i < 24; i++, hour = nextTimeperiod(hour, 'hourly')) {
      total += Number(fs.readFileSync(sampleData(ctx, 'ingest', `${hour}.txt`), 'utf8'));
    }
    fs.mkdirSync(sampleData(ctx, 'rollup'), { recursive: true });
    fs.writeFileSync(sampleData(ctx, 'rollup', `${ctx.timeperiod}.txt`), `${total}\n`);
    ctx.logger.info(`rolled up ${total} events of 24 hours`);
  }
}

/** The scheduled pair's daily half: each day (UTC) once hourly_ingest has processed its 24 hours. */
@Flow({
  name: 'daily_rollup',
  steps: [Rollup],
  description: 'scheduled every day, after the 24 hours of hourly_ingest: sums them into sample-data/rollup/',
  schedule: { every: 'day', start: '2026120100', after: ['hourly_ingest'] },
})
export class DailyRollupFlow {}
