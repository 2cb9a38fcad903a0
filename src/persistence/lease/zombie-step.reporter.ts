import { now, type FlowEvent } from '../../domain/flow-event';
import type { FlowLease } from '../../domain/flow-lock.port';
import type { Logger } from '../../logging/logger';
import { StepState } from '../../domain/states';
import type { StepEntity } from '../step.entity';

export interface TakeoverReport {
  flowName: string;
  timeperiod: string;
  /** The run that took the lease (FlowRunResult.runId). */
  runId: string;
  lease: FlowLease;
  /** The step rows as they were once the lease was taken, before this run reset any of them. */
  steps: readonly StepEntity[];
  /** The steps this run resets and runs. */
  toRun: ReadonlySet<string>;
  logger: Logger;
  emit(event: FlowEvent): void;
}

/**
 * Tells the flow log and the events what a run inherited: whose lease it took over, and which
 * steps that engine left `in_progress`. Holding the lease means nobody else runs this flow run, so
 * such a step is a zombie; the run plan resets it and it runs again.
 */
export function reportTakeover(report: TakeoverReport): void {
  const { flowName, timeperiod, lease, logger } = report;
  const previous = lease.takenOver;
  if (previous) logger.warn(`took the run over from ${previous.holder}: ${previous.reason}`);
  for (const step of report.steps) {
    if (step.state !== StepState.IN_PROGRESS || !report.toRun.has(step.stepName)) continue;
    const started = step.startedAt ? `, started ${step.startedAt.toISOString()}` : '';
    logger.warn(
      `step ${step.stepName} is a zombie: left in_progress (attempt ${step.attempt}${started}) by ${previous?.holder ?? 'an engine that stopped'}; reset to embryo, it runs again`,
    );
    report.emit({
      type: 'zombie',
      flowName,
      timeperiod,
      runId: report.runId,
      stepName: step.stepName,
      attempt: step.attempt,
      at: now(),
      ...(previous && { previousHolder: previous.holder }),
    });
  }
}
