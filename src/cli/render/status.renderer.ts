import type { FlowStatus } from '../../flow-application.port';
import type { FlowGraph } from '../../graph/flow-graph';
import type { StepStatus } from '../../engine/retired-steps';
import type { Redactor } from '../../logging/redaction';
import { formatDuration } from './duration.format';
import { briefError } from './error-brief';
import { renderTable } from './table.renderer';
import { formatDateTime } from './time.format';

/** The JSON of one flow run, shared by `status --json` and the run commands' `--json`. */
export interface FlowStatusJson {
  flowName: string;
  timeperiod: string;
  state: string;
  runMode: string;
  startTimeperiod: string | null;
  endTimeperiod: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  steps: StepStatusJson[];
  /** Why the run ended invalid when no step says so (no cluster could launch, say). */
  error?: string;
}

export interface StepStatusJson {
  stepName: string;
  state: string;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  /** The step was removed from the flow's definition: its row is history, it no longer counts. */
  retired?: true;
}

export function statusToJson(status: FlowStatus, graph: FlowGraph): FlowStatusJson {
  const { flow } = status;
  return {
    flowName: flow.flowName,
    timeperiod: flow.timeperiod,
    state: flow.state,
    runMode: flow.runMode,
    startTimeperiod: flow.startTimeperiod,
    endTimeperiod: flow.endTimeperiod,
    startedAt: iso(flow.startedAt),
    finishedAt: iso(flow.finishedAt),
    durationMs: duration(flow.startedAt, flow.finishedAt),
    steps: inGraphOrder(status.steps, graph).map((s) => ({
      stepName: s.stepName,
      state: s.state,
      attempt: s.attempt,
      startedAt: iso(s.startedAt),
      finishedAt: iso(s.finishedAt),
      durationMs: duration(s.startedAt, s.finishedAt),
      error: s.error ?? null,
      ...(s.retired && { retired: true as const }),
    })),
  };
}

/** A heading line, then one row per step in the graph's order: step, state, attempt, started, duration; `redact` is for the error cells, cut after it (see briefError). */
export function renderStatus(status: FlowStatus, graph: FlowGraph, redact: Redactor): string {
  return `${statusHeading(status)}\n${renderStepTable(inGraphOrder(status.steps, graph), redact)}`;
}

/** `daily_etl 2026112600: invalid (run, 3.42s)`: the run, its state, its mode and how long it took. */
export function statusHeading({ flow }: FlowStatus): string {
  const took = duration(flow.startedAt, flow.finishedAt);
  return `${flow.flowName} ${flow.timeperiod}: ${flow.state} (${flow.runMode}${took === null ? '' : `, ${formatDuration(took)}`})`;
}

/** The table of these steps, in the order given; an ERROR column when one of them has an error. */
export function renderStepTable(steps: readonly StepStatus[], redact: Redactor): string {
  const withErrors = steps.some((s) => s.error);
  const rows = steps.map((s) => {
    const took = duration(s.startedAt, s.finishedAt);
    const running = s.startedAt && !s.finishedAt ? `${formatDuration(Date.now() - s.startedAt.getTime())}…` : '-';
    const row = [
      s.stepName,
      s.retired ? `${s.state} (retired)` : s.state,
      String(s.attempt),
      formatDateTime(s.startedAt),
      took === null ? running : formatDuration(took),
    ];
    return withErrors ? [...row, briefError(s.error, redact)] : row;
  });
  const headers = ['STEP', 'STATE', 'ATTEMPT', 'STARTED', 'DURATION', ...(withErrors ? ['ERROR'] : [])];
  return renderTable(headers, rows, { alignRight: [2, 4] });
}

/** Retired steps (no longer in the graph) come last. */
export function inGraphOrder(steps: readonly StepStatus[], graph: FlowGraph): StepStatus[] {
  const rank = new Map(graph.topologicalOrder().map((s, i) => [s, i]));
  return [...steps].sort((a, b) => (rank.get(a.stepName) ?? Infinity) - (rank.get(b.stepName) ?? Infinity) || a.id - b.id);
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

function duration(from: Date | null, to: Date | null): number | null {
  return from && to ? to.getTime() - from.getTime() : null;
}
