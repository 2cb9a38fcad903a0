import type { FlowApplication } from '../../flow-application.port';
import { FlowRunNotFoundError } from '../../errors';
import type { RunMode } from '../../persistence/flow.entity';
import { planRun } from '../../engine/run-plan';
import type { RunProgress } from '../progress/run-progress';

/**
 * Works out, from what is persisted, which steps a run will execute and which it keeps, so the
 * progress view can show them from the first frame. The engine plans again for real: this
 * only reads, and it throws the engine's own errors (blocked step, never run) before any view.
 */
export async function plannedProgress(
  app: FlowApplication,
  flow: string,
  mode: RunMode,
  timeperiod: string,
  step?: string,
): Promise<RunProgress> {
  const definition = app.definition(flow);
  const status = await app.status(flow, timeperiod).catch((err) => {
    if (err instanceof FlowRunNotFoundError) return null;
    throw err;
  });
  const plan = planRun({ definition, mode, step, timeperiod, flow: status?.flow ?? null, steps: status?.steps ?? [], nominalClusters: 1 });
  const persisted = new Map((status?.steps ?? []).map((s) => [s.stepName, s.state]));
  // required here, not imported: it loads RxJS's operators, which `--help` and `list` do not need
  const { RunProgress: Progress } = require('../progress/run-progress') as typeof import('../progress/run-progress');
  return new Progress(flow, timeperiod, mode, definition.graph, plan.toRun, persisted);
}
