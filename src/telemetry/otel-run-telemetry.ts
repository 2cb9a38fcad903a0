import { context, trace, SpanStatusCode, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { FlowState, StepState } from '../domain/states';
import type { Redactor } from '../logging/redaction';
import { engineInstruments, type EngineInstruments } from './engine-instruments';
import {
  NO_ACTION_TELEMETRY,
  type ActionTelemetry,
  type ActionTelemetryPhase,
  type AttemptTelemetry,
  type RunTelemetry,
  type RunTelemetryInit,
} from './run-telemetry.port';
import { recordFailure } from './span-failure';
import { RETRY_EVENT, SPAN_ATTRIBUTES as A, SPAN_NAMES, TELEMETRY_SCOPE } from './telemetry-names';

/**
 * The OpenTelemetry side of one flow run: its `synergy-flow.run` span, the child span of each step
 * attempt, and the metrics they feed (docs/observability.md). Its parent is the context active
 * when the run starts, so a run started inside a traced request joins that trace.
 *
 * Whether the run span records is checked once, at its start: when it does not (no SDK
 * registered, or the trace sampled out), no step or action span is made at all and the actions
 * run in the caller's context, so a run without an SDK pays a few no-op calls per step. The metrics
 * do not depend on it: they go to the registered meter provider, a no-op without one.
 */
export class OtelRunTelemetry implements RunTelemetry {
  private readonly recording: boolean;
  /** The run span's context: the parent of its attempts' spans. */
  private readonly context: Context;
  /** `{ flow }`, the attributes of the run's in-flight updates, made once. */
  private readonly flowAttributes: { flow: string };

  private constructor(
    private readonly tracer: Tracer,
    private readonly span: Span,
    parent: Context,
    private readonly instruments: EngineInstruments,
    private readonly init: RunTelemetryInit,
  ) {
    this.recording = span.isRecording();
    this.context = this.recording ? trace.setSpan(parent, span) : parent;
    this.flowAttributes = { flow: init.flowName };
  }

  /** Starts the run's span, as a child of the context active now. */
  static start(init: RunTelemetryInit): OtelRunTelemetry {
    const parent = context.active();
    const tracer = trace.getTracer(TELEMETRY_SCOPE);
    const span = tracer.startSpan(
      SPAN_NAMES.run,
      {
        attributes: {
          [A.flow]: init.flowName,
          [A.timeperiod]: init.timeperiod,
          [A.runId]: init.runId,
          [A.runMode]: init.runMode,
          [A.trigger]: init.trigger,
        },
      },
      parent,
    );
    return new OtelRunTelemetry(tracer, span, parent, engineInstruments(), init);
  }

  /** A step attempt started on `cluster`: its span starts, and it counts as in flight until it ends. */
  attemptStarted(stepName: string, attempt: number, cluster: string): AttemptTelemetry {
    this.instruments.stepsInFlight.add(1, this.flowAttributes);
    const span = this.recording
      ? this.tracer.startSpan(
          SPAN_NAMES.step,
          {
            attributes: {
              [A.flow]: this.init.flowName,
              [A.timeperiod]: this.init.timeperiod,
              [A.runId]: this.init.runId,
              [A.step]: stepName,
              [A.attempt]: attempt,
              [A.cluster]: cluster,
            },
          },
          this.context,
        )
      : undefined;
    return new OtelAttemptTelemetry(
      this.tracer,
      this.init,
      this.instruments,
      this.flowAttributes,
      stepName,
      attempt,
      span,
      span && trace.setSpan(this.context, span),
    );
  }

  /** The run ended in `state`; `error` says why it is invalid when no step does (no cluster, a cancel, an exception). */
  ended(state: FlowState, error?: string): void {
    this.instruments.runs.add(1, { flow: this.init.flowName, state });
    if (!this.recording) return this.span.end();
    this.span.setAttribute(A.state, state);
    if (state === FlowState.INVALID) {
      const message = error ?? 'a step of the run ended invalid or canceled';
      this.span.setStatus({ code: SpanStatusCode.ERROR, message });
    }
    this.span.end();
  }
}

/**
 * One step attempt: its `synergy-flow.step` span (when the run records), and the
 * `synergy-flow.action` spans of its actions; its duration, retry and in-flight metrics.
 */
export class OtelAttemptTelemetry implements AttemptTelemetry {
  private readonly started = performance.now();
  /** Set by the first of processed, failed, retried: a step cancelled while it waits for its retry ends once. */
  private done = false;

  constructor(
    private readonly tracer: Tracer,
    private readonly init: RunTelemetryInit,
    private readonly instruments: EngineInstruments,
    private readonly flowAttributes: { flow: string },
    private readonly stepName: string,
    private readonly attempt: number,
    /** The attempt's span and its context, when the run records spans. */
    private readonly span: Span | undefined,
    private readonly context: Context | undefined,
  ) {}

  /** An action of the attempt starts: its span, a child of the attempt's. */
  actionStarted(actionName: string, phase: ActionTelemetryPhase): ActionTelemetry {
    if (!this.context) return NO_ACTION_TELEMETRY;
    const span = this.tracer.startSpan(
      SPAN_NAMES.action,
      {
        attributes: {
          [A.flow]: this.init.flowName,
          [A.timeperiod]: this.init.timeperiod,
          [A.runId]: this.init.runId,
          [A.step]: this.stepName,
          [A.attempt]: this.attempt,
          [A.action]: actionName,
          [A.phase]: phase,
        },
      },
      this.context,
    );
    return new RecordedActionTelemetry(span, trace.setSpan(this.context, span), this.init.redact);
  }

  /** The attempt ended `processed`. */
  processed(): void {
    this.end(StepState.PROCESSED);
  }

  /** The attempt failed (`invalid`) or was cancelled (`canceled`) and the step will not be tried again. */
  failed(state: StepState, error: unknown): void {
    if (this.done) return;
    if (this.span) recordFailure(this.span, error, this.init.redact);
    this.end(state);
  }

  /** The attempt failed and the step will be tried again after `delayMs`: a retry event on the attempt's span. */
  retried(error: unknown, delayMs: number): void {
    if (this.done) return;
    this.instruments.stepRetries.add(1, { flow: this.init.flowName, step: this.stepName });
    if (this.span) {
      recordFailure(this.span, error, this.init.redact);
      this.span.addEvent(RETRY_EVENT, { [A.attempt]: this.attempt + 1, [A.retryDelayMs]: delayMs });
    }
    this.end(StepState.INVALID);
  }

  private end(state: StepState): void {
    if (this.done) return;
    this.done = true;
    this.instruments.stepsInFlight.add(-1, this.flowAttributes);
    this.instruments.stepDuration.record(performance.now() - this.started, { flow: this.init.flowName, state });
    if (!this.span) return;
    this.span.setAttribute(A.state, state);
    this.span.end();
  }
}

/** One action's span: user code runs in its context, so the spans it makes are its children. */
class RecordedActionTelemetry implements ActionTelemetry {
  constructor(
    private readonly span: Span,
    private readonly context: Context,
    private readonly redact: Redactor,
  ) {}

  within<T>(fn: () => T): T {
    return context.with(this.context, fn);
  }

  completed(): void {
    this.span.end();
  }

  failed(error: unknown): void {
    recordFailure(this.span, error, this.redact);
    this.span.end();
  }
}
