import { SynergyFlowError } from './synergy-flow.error';

/**
 * This engine no longer holds the lease on the run: another engine took it over (this one looked
 * dead: paused, partitioned or cut off from the database longer than `lease.ttlMs`). The engine
 * writes nothing more for the run and starts no new step, so the run is never done twice; the
 * run's state is the new holder's.
 */
export class LeaseLostError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_LEASE_LOST';

  constructor(
    readonly flowName: string,
    readonly timeperiod: string,
    readonly reason: string,
  ) {
    super(
      `flow '${flowName}' for timeperiod ${timeperiod}: this engine lost its lease on the run (${reason}), so it writes nothing more and starts no new step rather than run it twice; the run's state is the new holder's (see status, or recover the run if no engine holds it)`,
    );
  }
}
