/** What the CLI's exit status means: cron and scripts branch on it. */
export const ExitCode = {
  /** The command did what it was asked; a flow run ended processed (or noop). */
  OK: 0,
  /** A flow run ended invalid (a step failed or was canceled). */
  FLOW_INVALID: 1,
  /** Bad usage or bad input: nothing ran, nothing was written. */
  USAGE: 2,
  /** Interrupted: 128 + the signal's number, as shells report it. */
  SIGINT: 130,
  SIGTERM: 143,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
