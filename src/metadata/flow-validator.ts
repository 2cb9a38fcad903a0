import { FlowDefinitionError } from '../errors';
import { findCycle } from '../graph/find-cycle';
import type { StepDefinition } from './flow-definition';
import { MAX_NAME_LENGTH, NAME_PATTERN, NAME_RULE, nameLike } from './name-rules';
import { RESERVED_STEP_NAMES } from './reserved-step-names';

/**
 * Checks what only the whole flow can tell: names, dependencies, cycles. `names` is the list of
 * step names as declared (it may hold duplicates, which the map has already collapsed).
 */
export function validateFlow(flowName: string, names: readonly string[], steps: ReadonlyMap<string, StepDefinition>): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new FlowDefinitionError(
        `flow '${flowName}' has two steps named '${name}': give one of them another name with @Step({ name })`,
        { kind: 'duplicate-step', flow: flowName, step: name },
      );
    }
    seen.add(name);
    if (RESERVED_STEP_NAMES.includes(name)) {
      throw new FlowDefinitionError(
        `flow '${flowName}': step name '${name}' is reserved (${RESERVED_STEP_NAMES.join(', ')} are the graph's terminal nodes): rename it with @Step({ name })`,
        { kind: 'reserved-name', flow: flowName, step: name },
      );
    }
    if (!NAME_PATTERN.test(name)) {
      throw new FlowDefinitionError(
        `flow '${flowName}': step name '${name}' must be ${NAME_RULE} (it names a log file): rename it with ${renameHint('Step', name)}`,
        { kind: 'invalid-name', flow: flowName, step: name },
      );
    }
    if (name.length > MAX_NAME_LENGTH) {
      throw new FlowDefinitionError(
        `flow '${flowName}': step name '${name}' has ${name.length} characters, more than ${MAX_NAME_LENGTH} (it names a log file and a database column): shorten it with @Step({ name })`,
        { kind: 'name-too-long', flow: flowName, step: name },
      );
    }
    if (name === flowName) {
      throw new FlowDefinitionError(
        `flow '${flowName}', step '${name}': a step may not be named like its flow (both would log to ${flowName}/${flowName}.log): rename the step with @Step({ name })`,
        { kind: 'step-named-like-flow', flow: flowName, step: name },
      );
    }
  }
  if (!NAME_PATTERN.test(flowName)) {
    throw new FlowDefinitionError(
      `flow name '${flowName}' must be ${NAME_RULE} (it names a log directory): rename it with ${renameHint('Flow', flowName)}`,
      { kind: 'invalid-name', flow: flowName },
    );
  }
  if (flowName.length > MAX_NAME_LENGTH) {
    throw new FlowDefinitionError(
      `flow name '${flowName}' (its steps: ${names.map((n) => `'${n}'`).join(', ')}) has ${flowName.length} characters, more than ${MAX_NAME_LENGTH} (it names a log directory and a database column): shorten it with @Flow({ name })`,
      { kind: 'name-too-long', flow: flowName },
    );
  }
  for (const step of steps.values()) {
    for (const dep of step.dependsOn) {
      if (!steps.has(dep)) {
        throw new FlowDefinitionError(
          `flow '${flowName}', step '${step.name}' depends on '${dep}', which is not a step of this flow (its steps: ${[...steps.keys()].join(', ')}): fix the name in @DependsOn or add the step to @Flow({ steps })`,
          { kind: 'unknown-dependency', flow: flowName, step: step.name },
        );
      }
      if (dep === step.name) {
        throw new FlowDefinitionError(`flow '${flowName}', step '${step.name}' depends on itself: remove it from its own @DependsOn`, {
          kind: 'self-dependency',
          flow: flowName,
          step: step.name,
        });
      }
    }
  }
  const cycle = findCycle([...steps.keys()], (s) => steps.get(s)!.dependsOn);
  if (cycle) {
    throw new FlowDefinitionError(
      `flow '${flowName}' has a dependency cycle: ${cycle.join(' -> ')}; remove one of these @DependsOn links`,
      { kind: 'cycle', flow: flowName },
    );
  }
}

/** `@Step({ name: 'etape_1' })` when a valid name close to the refused one exists, else `@Step({ name })`. */
function renameHint(decorator: 'Flow' | 'Step', refused: string): string {
  const like = nameLike(refused);
  return like ? `@${decorator}({ name: '${like}' })` : `@${decorator}({ name })`;
}
