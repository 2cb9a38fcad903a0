/** A flow run's life cycle: embryo -> in_progress -> processed | noop | invalid. */
export enum FlowState {
  EMBRYO = 'embryo',
  IN_PROGRESS = 'in_progress',
  PROCESSED = 'processed',
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
