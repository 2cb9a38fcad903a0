/**
 * Where "now" comes from, for code that decides by the time of day: the scheduler asks it which
 * timeperiods are due. A spec passes a clock it sets by hand, so that an hour passes in one
 * statement instead of an hour (docs/architecture.md, "The ports").
 *
 * @example
 * ```ts
 * let now = new Date('2026-01-01T05:00:00Z');
 * const clock: Clock = { now: () => now };
 * const scheduler = app.scheduler({ clock });
 * now = new Date('2026-01-01T06:00:00Z');
 * await scheduler.tick();
 * ```
 */
export interface Clock {
  /** The current time. */
  now(): Date;
}

/** The process's own clock: `new Date()`. The default of everything that takes a {@link Clock}. */
export const systemClock: Clock = {
  now: () => new Date(),
};
