import { STEP_DONE_STATES, StepState } from '../../domain/states';
import type { FlowStatus } from '../../flow-application.port';
import type { FlowGraph } from '../../graph/flow-graph';
import type { StepStatus } from '../../engine/retired-steps';
import type { Redactor } from '../../logging/redaction';
import { inGraphOrder, renderStatus, renderStepTable, statusHeading } from './status.renderer';
import { LARGE_RUN_STEPS } from './large-run';

/** How many of the steps not done a summary lists (the failed ones first). */
const LISTED_MAX_STEPS = 20;

/** Failed first, then what never ended, then what never started: the order a reader looks for. */
const NOT_DONE_ORDER: readonly StepState[] = [StepState.INVALID, StepState.CANCELED, StepState.IN_PROGRESS, StepState.EMBRYO];
const COUNT_ORDER: readonly StepState[] = [StepState.PROCESSED, StepState.NOOP, ...NOT_DONE_ORDER];

/**
 * The final states of a run printed off a terminal (the live view's last frame is its own): the
 * table of every step for a small flow, else a summary that points at the whole table (`status`,
 * or `--json`). `programName` is how the user invokes the CLI, for that hint.
 */
export function renderFinalStates(status: FlowStatus, graph: FlowGraph, redact: Redactor, programName: string): string {
  const steps = inGraphOrder(status.steps, graph).filter((s) => !s.retired);
  // Up to LARGE_RUN_STEPS, the table of every step.
  if (steps.length <= LARGE_RUN_STEPS) return renderStatus(status, graph, redact);
  const rank = (s: StepStatus) => (NOT_DONE_ORDER.includes(s.state) ? NOT_DONE_ORDER.indexOf(s.state) : NOT_DONE_ORDER.length);
  const notDone = steps.filter((s) => !STEP_DONE_STATES.has(s.state)).sort((a, b) => rank(a) - rank(b));
  const listed = notDone.slice(0, LISTED_MAX_STEPS);
  const more = notDone.length - listed.length;
  const { flowName, timeperiod } = status.flow;
  return [
    statusHeading(status),
    `${steps.length} steps: ${countsByState(steps)}`,
    ...(listed.length ? [`not done:\n${renderStepTable(listed, redact).trimEnd()}`] : []),
    ...(more ? [`… and ${more} more not done`] : []),
    `the table of every step: ${programName} status ${flowName} -t ${timeperiod} (or --json)`,
  ].join('\n');
}

/** `499 processed, 1 invalid, 500 embryo`: the states that occur, done ones first. */
function countsByState(steps: readonly StepStatus[]): string {
  const count = new Map<string, number>();
  for (const step of steps) count.set(step.state, (count.get(step.state) ?? 0) + 1);
  const known = COUNT_ORDER.filter((state) => count.has(state)).map((state) => `${count.get(state)} ${state}`);
  // A state written by a newer engine still counts.
  const other = [...count].filter(([state]) => !COUNT_ORDER.includes(state as StepState)).map(([state, n]) => `${n} ${state}`);
  return [...known, ...other].join(', ');
}
