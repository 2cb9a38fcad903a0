/** The shortest tick: a tick reads every scheduled flow's rows, so less than this is a busy loop on the database. */
export const MIN_TICK_MS = 10;
