export type { FlowDefinition, StepDefinition, ActionDefinition, MethodActionDefinition, ClassActionDefinition } from './flow-definition';
export { scanFlows, scanFlow } from './flow-scanner';
export { scanStep } from './step-scanner';
export { RESERVED_STEP_NAMES } from './reserved-step-names';
