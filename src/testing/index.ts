import 'reflect-metadata';

export { createTestingApp, type TestingApp, type TestingAppOptions, type StepRunOutcome, type RunStepContext } from './testing-app';
export type { StepClusterIdentity } from './step-cluster';
