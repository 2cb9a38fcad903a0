/** A class constructor, as the decorators receive and record it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Type<T = any> = new (...args: any[]) => T;

export type ActionPhase = 'pre' | 'main' | 'post';

export interface FlowOptions {
  /** Defaults to the class name. */
  name?: string;
  /** The step classes, each decorated with @Step. */
  steps: Type[];
  description?: string;
}

export interface StepOptions {
  /** Defaults to the class name. */
  name?: string;
  /** The step is not run; it is recorded as `noop` and its dependents proceed. */
  skip?: boolean;
  /** How many times a failed attempt is retried (0 = no retry). */
  retries?: number;
  retryDelayMs?: number;
  backoff?: 'fixed' | 'exponential';
  maxRetryDelayMs?: number;
  /** Error classes that fail the step at once, without retrying (NonRetryableError always does). */
  nonRetryableErrors?: Array<abstract new (...args: never[]) => Error>;
  /** Budget of one attempt (pre + main + post); on expiry ctx.signal aborts and the attempt fails. */
  timeoutMs?: number;
  description?: string;
}

export interface ActionOptions {
  /** Name in logs and events; defaults to the method or action class name. */
  name?: string;
  /** The action is not run (logged as skipped). */
  skip?: boolean;
  /** Budget of this action alone. */
  timeoutMs?: number;
}

/** What one @Pre/@Main/@Post records: a method of the step class, or a reusable action class. */
export type ActionMetadata =
  | { phase: ActionPhase; kind: 'method'; methodName: string; options: ActionOptions }
  | { phase: ActionPhase; kind: 'class'; actionClass: Type; args: unknown; options: ActionOptions };
