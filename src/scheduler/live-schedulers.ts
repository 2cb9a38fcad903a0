/**
 * The holder ids of the schedulers of this process that are running: a claim naming this very
 * process but absent here was left by a scheduler that stopped (or an application that closed)
 * mid-run, and is taken over at once instead of blocking the period.
 */
const live = new Set<string>();

export const liveSchedulers = {
  add: (holderId: string) => void live.add(holderId),
  delete: (holderId: string) => void live.delete(holderId),
  has: (holderId: string) => live.has(holderId),
};
