import type { DependencyContainer } from 'tsyringe';
import type { LogManager } from '../logging/log-manager';
import type { Redactor } from '../logging/redaction';
import type { AttemptContainerFactory } from './attempt-container.factory';
import type { FlowEvent } from '../domain/flow-event';

/** The services a step execution needs from the application, passed down in one object. */
export interface StepRunScope {
  container: DependencyContainer;
  logs: Pick<LogManager, 'flowLogger' | 'stepLogger' | 'actionLogger' | 'written'>;
  redact: Redactor;
  /** Tells the redactor secrets found while running: the AWS credentials an SDK client resolved by its default chain. */
  learnSecrets?: (secrets: readonly string[]) => void;
  emit: (event: FlowEvent) => void;
  /** How long aborted work gets to wind down; DEFAULT_GRACE_PERIOD_MS when absent. */
  gracePeriodMs?: number;
  /** Set per flow run: makes each attempt's child container in O(1) (see the factory). */
  attemptContainers?: AttemptContainerFactory;
}
