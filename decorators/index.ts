export { Flow } from './flow.decorator';
export { Step } from './step.decorator';
export { DependsOn } from './depends-on.decorator';
export { Pre } from './pre.decorator';
export { Main } from './main.decorator';
export { Post } from './post.decorator';
export { Rollback } from './rollback.decorator';
export { FLOW_METADATA, STEP_METADATA, ACTIONS_METADATA, DEPENDS_ON_METADATA, ROLLBACK_METADATA } from './metadata-keys';
export type { Type, ActionPhase, FlowOptions, StepOptions, ActionOptions, ActionMetadata } from './types';
