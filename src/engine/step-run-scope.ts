import type { DependencyContainer } from 'tsyringe';
import type { LogManager } from '../logging/log-manager';
import type { Redactor } from '../logging/redaction';
import type { FlowEvent } from './flow-event';

/** The services a step execution needs from the application, passed down in one object. */
export interface StepRunScope {
  container: DependencyContainer;
  logs: LogManager;
  redact: Redactor;
  emit: (event: FlowEvent) => void;
}
