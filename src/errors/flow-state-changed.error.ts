import type { FlowState } from '../domain/states';
import { SynergyFlowError } from './synergy-flow.error';

/**
 * A run asked with `expectedState` found the period in another state once it held the run's lease:
 * another engine (a scheduler, a backfill, a person) ran it after the caller read its state. Nothing
 * was run or written.
 */
export class FlowStateChangedError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_FLOW_STATE_CHANGED';

  /**
   * @param expected the state the caller read (null: never ran)
   * @param actual the state found under the lease (null: never ran)
   */
  constructor(
    readonly flowName: string,
    readonly timeperiod: string,
    readonly expected: FlowState | null,
    readonly actual: FlowState | null,
  ) {
    const now = actual === null ? 'has never run' : `is ${actual}`;
    const then = expected === null ? 'had never run' : `was ${expected}`;
    super(
      `flow '${flowName}' for timeperiod ${timeperiod} ${now}, but the run expected it ${then}: another engine ran it ` +
        `since that state was read; nothing was run or written (see it with status)`,
    );
  }
}
