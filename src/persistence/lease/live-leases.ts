/**
 * The holder ids of the leases this process holds now. A lease row naming this very process but
 * absent here was left by an application of this process that closed mid-run: it is taken over at
 * once instead of blocking the run until it expires.
 */
const live = new Set<string>();

export const liveLeases = {
  add: (holderId: string) => void live.add(holderId),
  delete: (holderId: string) => void live.delete(holderId),
  has: (holderId: string) => live.has(holderId),
};
