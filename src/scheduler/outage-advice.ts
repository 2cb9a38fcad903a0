import { DatabaseUnavailableError } from '../errors';

/**
 * A DatabaseUnavailableError as a scheduler's reader should read it. Its own advice, "then recover
 * the run", is for someone who started a run by hand; a scheduler's tick failed and its ticks go on,
 * and a period whose run the outage cut short is taken up again by a later tick (a takeover, or a
 * retry), so nobody has anything to recover. Any other error is the same error.
 *
 * @param during `tick`: a tick failed (what `onError` hears); `run`: a run the scheduler started failed
 */
export function inSchedulerWords(err: unknown, during: 'tick' | 'run'): unknown {
  if (!(err instanceof DatabaseUnavailableError)) return err;
  return err.withAfterwards(
    during === 'tick'
      ? 'the scheduler keeps ticking and, once the database works again, starts what came due meanwhile and takes up the runs the outage cut short by itself'
      : 'the scheduler takes this period up again by itself once the database works again',
  );
}
