import { Flow, Main, Step, type Type } from '../../../src';

export const FAILING_FLOW = 'failing_daily';

/** How long after a failure the scheduler retries it: long enough that a time read hours off shows. */
export const RETRY_DELAY_MS = 600_000;

@Step({ name: 'fail' })
class Fails {
  @Main() async run() {
    throw new Error('fails on purpose');
  }
}

/** A daily flow whose one step always fails, scheduled from `start` (so a tick sees only that period). */
export function failingDailyFlow(start: string): Type {
  @Flow({ name: FAILING_FLOW, steps: [Fails], schedule: { every: 'day', start, retryDelayMs: RETRY_DELAY_MS } })
  class FailingDaily {}
  return FailingDaily;
}
