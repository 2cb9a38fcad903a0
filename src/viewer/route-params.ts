import type { FlowApplication } from '../flow-application.port';
import { UnknownStepError } from '../errors';
import type { FlowDefinition, StepDefinition } from '../metadata/flow-definition';
import { assertTimeperiod } from '../timeperiod/timeperiod';
import { InvalidRequestError } from '../errors';
import { RUN_ID_PATTERN } from '../domain/run-id';

/*
 * Request input is checked against the definitions and only the definitions' own strings are used
 * afterwards: no name taken from a URL reaches a file path or a query unchecked.
 */

export function flowParam(app: FlowApplication, flow: unknown): FlowDefinition {
  return app.definition(String(flow));
}

export function stepParam(definition: FlowDefinition, step: unknown): StepDefinition {
  const found = definition.steps.get(String(step));
  if (!found) throw new UnknownStepError(definition.name, String(step), definition.graph.steps);
  return found;
}

export function timeperiodParam(timeperiod: unknown): string {
  return assertTimeperiod(timeperiod);
}

/** A whole number in [min, max] from a query string, or the default when absent. */
export function integerQuery(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new InvalidRequestError(`query parameter ${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** A run id from a query string (an unknown one is a 404 later, from the application). */
export function runIdParam(name: string, value: unknown): string {
  if (typeof value !== 'string' || !RUN_ID_PATTERN.test(value)) {
    throw new InvalidRequestError(
      `query parameter ${name} must be a run id (14 lower-case letters and digits), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
