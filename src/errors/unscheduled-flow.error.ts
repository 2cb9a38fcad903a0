import { SynergyFlowError } from './synergy-flow.error';

/**
 * The scheduler was asked about a flow that has no `@Flow({ schedule })`: it never runs such a
 * flow, so there is nothing to pause, resume or plan.
 *
 * @example
 * ```ts
 * try {
 *   await app.scheduler().pause('adhoc_export');
 * } catch (err) {
 *   if (err instanceof UnscheduledFlowError) console.error(err.message);
 * }
 * ```
 */
export class UnscheduledFlowError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_UNSCHEDULED_FLOW';

  /**
   * @param flow the flow's name
   * @param operation what was asked: `pause`, `resume`, `plan`
   * @param scheduled the flows that have a schedule
   */
  constructor(
    readonly flow: string,
    operation: string,
    scheduled: readonly string[],
  ) {
    super(
      `cannot ${operation} flow '${flow}': it has no schedule, so the scheduler never runs it; ` +
        (scheduled.length
          ? `the scheduled flows are ${scheduled.join(', ')}, or add @Flow({ schedule: { every, start } }) to '${flow}'`
          : `add @Flow({ schedule: { every: 'day', start: '2026010100' } }) to '${flow}'`),
    );
  }
}
