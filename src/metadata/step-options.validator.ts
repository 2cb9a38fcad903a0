import type { z } from 'zod';
import type { StepOptions } from '../../decorators/types';
import { closestName } from '../errors/did-you-mean';
import { FlowDefinitionError } from '../errors';
import type { ActionDefinition } from './flow-definition';
import { certainActionOptions, certainStepOptions } from './step-options.quick-check';

/**
 * Checks a step's options and its actions' options against their schemas. A typo here would not
 * fail anything at run time, it would silently mean "never retry" or "never time out"; a delay past
 * 2^31 - 1 ms would fire at once. Every problem of the step is listed in one FlowDefinitionError.
 */
export function validateStepOptions(at: { flow: string; step: string }, options: StepOptions, actions: readonly ActionDefinition[]): void {
  if (certainStepOptions(options ?? {}) && actions.every((action) => certainActionOptions(action.options ?? {}))) return;
  // Required only now: the schemas load zod, which valid options (most of them) never need.
  const { actionOptionsSchema, stepOptionsSchema } = require('./step-options.schema') as typeof import('./step-options.schema');
  const problems = [
    ...problemsOf(stepOptionsSchema, options, '@Step', (field) => STEP_FIXES[field] ?? `fix @Step({ ${field} })`),
    ...actions.flatMap((action) =>
      problemsOf(actionOptionsSchema, action.options, `@${capitalize(action.phase)}`, (field) =>
        field === 'timeoutMs' ? 'fix its options, or leave timeoutMs out for no timeout' : 'fix its options',
      ).map((problem) => `action '${action.name}' (@${capitalize(action.phase)}): ${problem}`),
    ),
  ];
  if (problems.length) {
    throw new FlowDefinitionError(`flow '${at.flow}', step '${at.step}': ${problems.join('; ')}`, { kind: 'invalid-options', ...at });
  }
}

const STEP_FIXES: Record<string, string> = {
  timeoutMs: 'fix @Step({ timeoutMs }), or leave it out for no timeout',
  nonRetryableErrors: 'list the classes themselves, e.g. @Step({ nonRetryableErrors: [TypeError] })',
};

/** Each issue as `<what>, got <value>: <fix>`; an unknown key with the option it most likely meant. */
function problemsOf(schema: z.ZodObject, value: unknown, decorator: string, fix: (field: string) => string): string[] {
  const result = schema.safeParse(value ?? {});
  if (result.success) return [];
  const known = Object.keys(schema.shape);
  return result.error.issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys') return [`${issue.message}: ${fix(String(issue.path[0] ?? ''))}`];
    return issue.keys.map((key) => {
      const guess = closestName(key, known);
      return `'${key}' is not an option of ${decorator}(): ${guess ? `did you mean '${guess}'?` : `its options are ${known.join(', ')}`}`;
    });
  });
}

function capitalize(phase: string): string {
  return phase.charAt(0).toUpperCase() + phase.slice(1);
}
