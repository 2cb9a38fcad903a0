export { FlowState, StepState, STEP_DONE_STATES } from './states';
export { FlowRecord, type RunMode } from './flow.entity';
export { StepRecord } from './step.entity';
export { createDataSource, ENTITIES } from './data-source.factory';
export { StateStore } from './state-store';
export { DEFAULT_DATABASE_OPTIONS, type DatabaseOptions } from './database-options';
