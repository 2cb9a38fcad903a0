/** The key of a claim among its scheduler's runs: flow, timeperiod and attempt. */
export interface ClaimKey {
  flowName: string;
  timeperiod: string;
  attempt: number;
}

const keyOf = (claim: ClaimKey) => `${claim.flowName}\u0000${claim.timeperiod}\u0000${claim.attempt}`;

/**
 * The schedulers of this process that are running, each with the claims whose runs it has in
 * flight. A claim naming this very process is alive only while its scheduler runs it: one whose
 * scheduler stopped (or whose application closed) mid-run, or whose run ended without its end
 * recorded (the database was down as it ended), is taken over by the next tick instead of
 * blocking its period for as long as the process lives.
 */
const live = new Map<string, Set<string>>();

export const liveSchedulers = {
  add: (holderId: string) => void live.set(holderId, new Set()),
  delete: (holderId: string) => void live.delete(holderId),
  has: (holderId: string) => live.has(holderId),
  /** Before the claim is committed: another scheduler of the process that reads it then finds it in flight. */
  claimStarted: (holderId: string, claim: ClaimKey) => void live.get(holderId)?.add(keyOf(claim)),
  /** The claim lost its race, or its run ended and its end was recorded (or could not be). */
  claimEnded: (holderId: string, claim: ClaimKey) => void live.get(holderId)?.delete(keyOf(claim)),
  runs: (holderId: string, claim: ClaimKey) => live.get(holderId)?.has(keyOf(claim)) ?? false,
};
