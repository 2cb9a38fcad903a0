/**
 * Above this many steps, a run printed off a terminal (a CI log, cron's mail) is summarised rather
 * than listed step by step: its progress lines are the failures, the retries and a periodic tally,
 * and it ends with counts per state. A reader of a 10,000-step run's log needs what went wrong
 * and how far it got, not 20,000 lines.
 */
export const LARGE_RUN_STEPS = 50;

/** How often, at most, the progress of a large run off a terminal is printed as a tally line. */
export const LARGE_RUN_TALLY_EVERY_MS = 10_000;
