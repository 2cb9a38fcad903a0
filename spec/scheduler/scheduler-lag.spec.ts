import { expect } from 'chai';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { METRIC_NAMES } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { installOtel, pointsOf, type InstalledOtel } from '../support/otel-sdk';
import { ManualClock, SchedulerProbe, scheduledFlow } from './fixtures/scheduled-flows';

/**
 * docs/observability.md: `synergy_flow.scheduler.lag` is how late a period's run started after it
 * was due (the period's end plus delayMs), recorded by the scheduler for each period it starts.
 */
describe('Scheduler: the lag metric', () => {
  let t: TestingApp | undefined;
  let otel: InstalledOtel | undefined;
  afterEach(async () => {
    await t?.teardown();
    await otel?.uninstall();
    t = otel = undefined;
  });

  const lag = async () =>
    pointsOf<Histogram>(await otel!.metrics(), METRIC_NAMES.schedulerLag).find((p) => p.attributes.flow === 'hourly')?.value;

  it('records, per flow, how long after its due time each period’s first run started; a retry is not lag', async () => {
    otel = installOtel();
    const probe = new SchedulerProbe();
    const flow = scheduledFlow('hourly', { every: 'hour', start: '2026010100', delayMs: 600_000, retries: 1, retryDelayMs: 60_000 });
    t = await createTestingApp({ flows: [flow], settings: { probe } });
    const scheduler = t.app.scheduler({ clock: new ManualClock(new Date('2026-01-01T00:00:00Z')) });

    // 2026010100 ends at 01:00, is due at 01:10 (delayMs 10 min); started at 01:11:30: 90 s late.
    expect((await scheduler.tick(new Date('2026-01-01T01:11:30Z'))).triggered.map((r) => r.timeperiod)).to.deep.equal(['2026010100']);
    expect(await lag()).to.include({ count: 1, sum: 90_000 });

    // 2026010101, due at 02:10, started 5 s late, fails; its retry a minute after is not lag.
    probe.failing.add('hourly 2026010101');
    const failed = await scheduler.tick(new Date('2026-01-01T02:10:05Z'));
    expect(failed.triggered.map((r) => [r.timeperiod, r.reason])).to.deep.equal([['2026010101', 'due']]);
    const retried = await scheduler.tick(new Date('2026-01-01T02:11:30Z'));
    expect(retried.triggered.map((r) => [r.timeperiod, r.reason])).to.deep.equal([['2026010101', 'retry']]);
    expect(await lag()).to.include({ count: 2, sum: 95_000, min: 5_000, max: 90_000 });
  });
});
