import 'reflect-metadata';

export { createTestingApp, type TestingApp, type TestingAppOptions, type StepRunOutcome } from './testing-app';
