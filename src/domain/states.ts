/** A flow run's life cycle: embryo -> in_progress -> processed | noop | invalid. */
export enum FlowState {
  EMBRYO = 'embryo',
  IN_PROGRESS = 'in_progress',
  PROCESSED = 'processed',
  /**
   * The seed's "the flow had no steps to process", kept for the rows it (or another engine) wrote:
   * what reads states counts it as done. This engine never writes it: a run ends processed or invalid.
   */
  NOOP = 'noop',
  INVALID = 'invalid',
}

/** A step's life cycle: embryo -> in_progress -> processed | noop | invalid | canceled. */
export enum StepState {
  EMBRYO = 'embryo',
  IN_PROGRESS = 'in_progress',
  PROCESSED = 'processed',
  NOOP = 'noop',
  INVALID = 'invalid',
  CANCELED = 'canceled',
}

/** States after which a step's dependents may start. */
export const STEP_DONE_STATES: ReadonlySet<StepState> = new Set([StepState.PROCESSED, StepState.NOOP]);
