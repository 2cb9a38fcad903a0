import { expect } from 'chai';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  Flow,
  Main,
  Pre,
  Rollback,
  Step,
  DependsOn,
  METRIC_NAMES,
  SPAN_NAMES,
  recordSchedulerLag,
  type Action,
  type StepContext,
} from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { histogramCount, installOtel, pointsOf, valueOf, type InstalledOtel } from '../support/otel-sdk';
import { tempSqlite } from '../support/temp-database';

const TP = '2026112600';
const SECRET = 'hunter2-password';
/** Attempts of `flaky` so far: its first fails, its second succeeds (reset before each spec). */
let flakyAttempts = 0;
/** What `steps in flight` read while `extract` ran: proves the gauge counts a running attempt. */
let inFlightDuringExtract: Promise<number> | undefined;
let otel: InstalledOtel | undefined;

/** A class action that can be rolled back and is always cleaned up: its spans have phases rollback and cleanup. */
class Reserve implements Action {
  run() {}
  rollback() {}
  cleanup() {}
}

@Step({ name: 'extract' })
class Extract {
  @Pre() prepare() {}
  @Main() load(ctx: StepContext) {
    // A span the user's code makes: a child of the action's span, because the action runs in its context.
    trace.getTracer('user-code').startActiveSpan('user.query', (span) => span.end());
    inFlightDuringExtract = otel?.metrics().then((all) => valueOf(all, METRIC_NAMES.stepsInFlight, { flow: ctx.flowName }));
  }
}

@Step({ name: 'flaky', retries: 1, retryDelayMs: 1 })
@DependsOn('extract')
class Flaky {
  @Main() call() {
    if (++flakyAttempts === 1) throw new Error(`the service said no (password=${SECRET})`);
  }
}

@Step({ name: 'broken' })
@DependsOn('flaky')
@Pre(Reserve, {}, { name: 'reserve' })
class Broken {
  @Main() write() {
    throw new Error('the disk is full');
  }
  @Rollback() undo() {}
}

@Flow({ name: 'traced', steps: [Extract, Flaky, Broken] })
class Traced {}

describe('telemetry/OpenTelemetry spans and metrics of a run', () => {
  let t: TestingApp;
  let db: ReturnType<typeof tempSqlite>;

  beforeEach(async () => {
    flakyAttempts = 0;
    inFlightDuringExtract = undefined;
    otel = installOtel();
    db = tempSqlite();
    t = await createTestingApp({ flows: [Traced], database: db.database, credentials: { password: SECRET } });
  });

  afterEach(async () => {
    await t.teardown();
    await otel?.uninstall();
    otel = undefined;
    db.cleanup();
  });

  it('makes a run span, a child per step attempt and a grandchild per action, rollback and cleanup included', async () => {
    const result = await t.app.run('traced', { timeperiod: TP });
    expect(result.state).to.equal('invalid');
    const spans = otel!.spans();
    const [run] = spans.filter((s) => s.name === SPAN_NAMES.run);
    expect(spans.filter((s) => s.name === SPAN_NAMES.run)).to.have.length(1);
    expect(run.parentSpanContext, 'a run started outside any trace is a root').to.equal(undefined);
    expect(run.attributes).to.deep.include({
      'synergy.flow': 'traced',
      'synergy.timeperiod': TP,
      'synergy.run_id': result.runId,
      'synergy.run_mode': 'run',
      'synergy.trigger': 'api',
      'synergy.state': 'invalid',
    });
    expect(run.status.code).to.equal(SpanStatusCode.ERROR);

    // Every other span is in the run's trace; the tree, as "parent > child" lines.
    const traceId = run.spanContext().traceId;
    expect(spans.every((s) => s.spanContext().traceId === traceId)).to.equal(true);
    expect(tree(spans, run)).to.deep.equal([
      'step extract#1 processed',
      '  action extract.prepare pre',
      '  action extract.load main',
      '    user.query',
      'step flaky#1 invalid ERROR retry',
      '  action flaky.call main ERROR',
      'step flaky#2 processed',
      '  action flaky.call main',
      'step broken#1 invalid ERROR',
      '  action broken.reserve pre',
      '  action broken.write main ERROR',
      '  action broken.reserve rollback',
      '  action broken.undo rollback',
      '  action broken.reserve cleanup',
    ]);

    const [flaky1] = spans.filter((s) => s.name === SPAN_NAMES.step && s.attributes['synergy.step'] === 'flaky');
    expect(flaky1.attributes).to.deep.include({
      'synergy.flow': 'traced',
      'synergy.timeperiod': TP,
      'synergy.run_id': result.runId,
      'synergy.attempt': 1,
    });
    // The cluster the attempt ran on, as its in_progress event says.
    const started = t.events.find((e) => e.type === 'step' && e.stepName === 'flaky' && e.state === 'in_progress' && e.attempt === 1);
    expect(started?.type === 'step' && started.cluster).to.be.a('string');
    expect(flaky1.attributes['synergy.cluster']).to.equal(started?.type === 'step' && started.cluster);
    const retry = flaky1.events.find((e) => e.name === 'synergy-flow.retry');
    expect(retry?.attributes).to.deep.equal({ 'synergy.attempt': 2, 'synergy.retry_delay_ms': 1 });
    const exception = flaky1.events.find((e) => e.name === 'exception');
    expect(exception?.attributes?.['exception.message']).to.equal('the service said no (password=***)');
    expect(flaky1.status.message).to.equal('the service said no (password=***)');
    // No span, attribute or event anywhere holds the secret.
    expect(JSON.stringify(spans.map((s) => [s.attributes, s.events, s.status]))).not.to.include(SECRET);
  });

  it('joins the trace of the caller: a run started inside a traced request is a child of its span', async () => {
    const tracer = trace.getTracer('web-server');
    const request = await tracer.startActiveSpan('POST /etl', async (span) => {
      await t.app.run('traced', { timeperiod: TP });
      span.end();
      return span;
    });
    const run = otel!.spans().find((s) => s.name === SPAN_NAMES.run)!;
    expect(run.parentSpanContext?.spanId).to.equal(request.spanContext().spanId);
    expect(run.spanContext().traceId).to.equal(request.spanContext().traceId);
  });

  it('counts runs by final state, step attempts by outcome, retries and steps in flight', async () => {
    await t.app.run('traced', { timeperiod: TP });
    await t.app.run('traced', { timeperiod: '2026112700' });
    const all = await otel!.metrics();
    expect(valueOf(all, METRIC_NAMES.runs, { flow: 'traced', state: 'invalid' })).to.equal(2);
    expect(valueOf(all, METRIC_NAMES.runs, { flow: 'traced', state: 'processed' })).to.equal(0);
    // Run 1: extract, flaky#2 processed; flaky#1, broken invalid. Run 2: flaky passes at once.
    expect(histogramCount(all, METRIC_NAMES.stepDuration, { flow: 'traced', state: 'processed' })).to.equal(4);
    expect(histogramCount(all, METRIC_NAMES.stepDuration, { flow: 'traced', state: 'invalid' })).to.equal(3);
    expect(valueOf(all, METRIC_NAMES.stepRetries, { flow: 'traced', step: 'flaky' })).to.equal(1);
    expect(await inFlightDuringExtract).to.equal(1);
    expect(valueOf(all, METRIC_NAMES.stepsInFlight, { flow: 'traced' })).to.equal(0);
  });

  it('records nothing once the SDK is unregistered, and records to a provider registered after the application started', async () => {
    await t.app.run('traced', { timeperiod: TP });
    await otel!.uninstall();
    otel = undefined;
    flakyAttempts = 0;
    // Without an SDK: nothing to record to, and nothing fails.
    expect((await t.app.run('traced', { timeperiod: '2026112700' })).state).to.equal('invalid');

    otel = installOtel();
    flakyAttempts = 0;
    inFlightDuringExtract = undefined;
    const result = await t.app.run('traced', { timeperiod: '2026112800' });
    expect(
      otel
        .spans()
        .filter((s) => s.name === SPAN_NAMES.run)
        .map((s) => s.attributes['synergy.run_id']),
    ).to.deep.equal([result.runId]);
    // Only the third run: the instruments of the first provider were not reused.
    const all = await otel.metrics();
    expect(valueOf(all, METRIC_NAMES.runs, { flow: 'traced', state: 'invalid' })).to.equal(1);
    expect(valueOf(all, METRIC_NAMES.stepRetries, { flow: 'traced', step: 'flaky' })).to.equal(1);
  });

  it('gives the scheduler a lag histogram, negative lags (clock skew) recorded as 0', async () => {
    recordSchedulerLag('traced', 1_500);
    recordSchedulerLag('traced', -20);
    const all = await otel!.metrics();
    const point = pointsOf<Histogram>(all, METRIC_NAMES.schedulerLag).find((p) => p.attributes.flow === 'traced');
    expect(point?.value.count).to.equal(2);
    expect(point?.value.sum).to.equal(1_500);
    expect(point?.value.min).to.equal(0);
  });
});

/** The spans under `root`, depth first in start order, each as one line: name, what it is about, its state and status. */
function tree(spans: ReadableSpan[], root: ReadableSpan, depth = 0): string[] {
  const children = spans
    .filter((s) => s.parentSpanContext?.spanId === root.spanContext().spanId)
    .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
  return children.flatMap((s) => [' '.repeat(depth * 2) + line(s), ...tree(spans, s, depth + 1)]);
}

function line(span: ReadableSpan): string {
  const a = span.attributes;
  const error = span.status.code === SpanStatusCode.ERROR ? ' ERROR' : '';
  if (span.name === SPAN_NAMES.step)
    return `step ${String(a['synergy.step'])}#${String(a['synergy.attempt'])} ${String(a['synergy.state'])}${error}${span.events.some((e) => e.name === 'synergy-flow.retry') ? ' retry' : ''}`;
  if (span.name === SPAN_NAMES.action)
    return `action ${String(a['synergy.step'])}.${String(a['synergy.action'])} ${String(a['synergy.phase'])}${error}`;
  return span.name;
}
