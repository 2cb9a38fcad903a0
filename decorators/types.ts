import type { z } from 'zod';
import type { ActionPhase } from '../src/domain/action-phase';
import type { actionOptionsSchema, stepOptionsSchema } from '../src/metadata/step-options.schema';
import type { ScheduleOptions } from '../src/metadata/schedule-options.schema';

export type { ScheduleOptions };

/** A class constructor, as the decorators receive and record it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Type<T = any> = new (...args: any[]) => T;

export type { ActionPhase };

/** What `@Flow({ ... })` accepts. */
export interface FlowOptions {
  /** Defaults to the class name. */
  name?: string;
  /** The step classes, each decorated with `@Step`. */
  steps: Type[];
  /** Shown by the CLI's `list` and the viewer. */
  description?: string;
  /** When the scheduler (`app.scheduler()`) runs the flow, timeperiod after timeperiod (README, "Scheduling"). */
  schedule?: ScheduleOptions;
}

/** What `@Step({ ... })` accepts; its schema (the scanner checks it at bootstrap) holds each option's doc. */
export type StepOptions = z.input<typeof stepOptionsSchema>;

/** What `@Pre/@Main/@Post(..., { ... })` accept: `name`, `skip`, `timeoutMs`. */
export type ActionOptions = z.input<typeof actionOptionsSchema>;

/** What one @Pre/@Main/@Post records: a method of the step class, or a reusable action class. */
export type ActionMetadata =
  | { phase: ActionPhase; kind: 'method'; methodName: string; options: ActionOptions }
  | { phase: ActionPhase; kind: 'class'; actionClass: Type; args: unknown; options: ActionOptions };
