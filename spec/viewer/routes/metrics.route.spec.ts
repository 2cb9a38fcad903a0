import { expect } from 'chai';
import { filter, firstValueFrom } from 'rxjs';
import { DependsOn, Flow, Main, Step, recordSchedulerLag } from '../../../src';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import type { ViewerServer } from '../../../src/viewer';
import { Gate, GatedFlow } from '../gated.flow';
import { http } from '../viewer-http';

const TOKEN = 'metrics-spec-token-44d0';
const TP = '2026112600';
/** Attempts of `flaky` so far: the first fails, the second passes. */
let flakyAttempts = 0;

@Step({ name: 'fine' })
class Fine {
  @Main() run() {}
}

@Step({ name: 'flaky', retries: 1 })
@DependsOn(Fine)
class Flaky {
  @Main() run() {
    if (++flakyAttempts === 1) throw new Error('not yet');
  }
}

@Step({ name: 'broken' })
@DependsOn(Flaky)
class Broken {
  @Main() run() {
    throw new Error('the disk is full');
  }
}

@Flow({ name: 'metered', steps: [Fine, Flaky, Broken] })
class Metered {}

/** The samples of a Prometheus text, by `name{labels}` as written; and each family's TYPE. */
function parse(text: string): { samples: Map<string, number>; types: Map<string, string> } {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    if (line.startsWith('#')) continue;
    const sample = /^(\S+) (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a Prometheus sample line: ${line}`);
    samples.set(sample[1], Number(sample[2]));
  }
  return { samples, types };
}

describe('viewer/routes/metrics.route: GET /metrics', () => {
  let t: TestingApp;
  let viewer: ViewerServer;

  beforeEach(async () => {
    flakyAttempts = 0;
    t = await createTestingApp({ flows: [Metered, GatedFlow] });
    viewer = await t.app.serve({ port: 0, token: TOKEN, metrics: true });
  });

  afterEach(async () => {
    await viewer.close();
    await t.teardown();
  });

  const scrape = async () => {
    const res = await http(viewer.url, 'GET', '/metrics', { token: TOKEN });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/plain; version=0.0.4; charset=utf-8');
    return parse(res.text);
  };

  it('counts runs by state, step attempts by outcome in a histogram, and retries, after a run', async () => {
    expect((await t.app.run('metered', { timeperiod: TP })).state).to.equal('invalid');
    const { samples, types } = await scrape();
    expect(types.get('synergy_flow_runs_total')).to.equal('counter');
    expect(types.get('synergy_flow_step_duration_milliseconds')).to.equal('histogram');
    expect(types.get('synergy_flow_step_retries_total')).to.equal('counter');
    expect(types.get('synergy_flow_steps_in_flight')).to.equal('gauge');
    expect(samples.get('synergy_flow_runs_total{flow="metered",state="invalid"}')).to.equal(1);
    expect(samples.get('synergy_flow_step_retries_total{flow="metered",step="flaky"}')).to.equal(1);
    // fine and flaky's second attempt processed; flaky's first and broken invalid
    expect(samples.get('synergy_flow_step_duration_milliseconds_count{flow="metered",state="processed"}')).to.equal(2);
    expect(samples.get('synergy_flow_step_duration_milliseconds_count{flow="metered",state="invalid"}')).to.equal(2);
    expect(samples.get('synergy_flow_step_duration_milliseconds_bucket{flow="metered",state="processed",le="+Inf"}')).to.equal(2);
    const buckets = [...samples]
      .filter(([name]) => name.startsWith('synergy_flow_step_duration_milliseconds_bucket{flow="metered",state="processed"'))
      .map(([, value]) => value);
    expect(buckets, 'cumulative buckets never decrease').to.deep.equal([...buckets].sort((a, b) => a - b));
    expect(samples.get('synergy_flow_step_duration_milliseconds_sum{flow="metered",state="processed"}')).to.be.at.least(0);
    expect(samples.get('synergy_flow_steps_in_flight{flow="metered"}')).to.equal(0);
    expect(samples.get('synergy_flow_runs_in_flight{flow="metered"}')).to.equal(0);

    await t.app.recover('metered', { timeperiod: TP });
    expect((await scrape()).samples.get('synergy_flow_runs_total{flow="metered",state="invalid"}')).to.equal(2);
  });

  it('shows the steps and runs in flight while a step runs', async () => {
    Gate.close();
    const holding = firstValueFrom(
      t.app.events$.pipe(filter((e) => e.type === 'step' && e.stepName === 'hold' && e.state === 'in_progress')),
    );
    const running = t.app.run('gated', { timeperiod: TP });
    await holding;
    const during = (await scrape()).samples;
    expect(during.get('synergy_flow_steps_in_flight{flow="gated"}')).to.equal(1);
    expect(during.get('synergy_flow_runs_in_flight{flow="gated"}')).to.equal(1);
    Gate.release();
    await running;
    const after = (await scrape()).samples;
    expect(after.get('synergy_flow_steps_in_flight{flow="gated"}')).to.equal(0);
    expect(after.get('synergy_flow_runs_in_flight{flow="gated"}')).to.equal(0);
    expect(after.get('synergy_flow_runs_total{flow="gated",state="processed"}')).to.equal(1);
  });

  it('shows the scheduler lag of this application’s flows as a histogram, from the viewer’s start', async () => {
    recordSchedulerLag('metered', 90_000);
    recordSchedulerLag('metered', 3);
    recordSchedulerLag('another_apps_flow', 7);
    const { samples, types } = await scrape();
    expect(types.get('synergy_flow_scheduler_lag_milliseconds')).to.equal('histogram');
    expect(samples.get('synergy_flow_scheduler_lag_milliseconds_count{flow="metered"}')).to.equal(2);
    expect(samples.get('synergy_flow_scheduler_lag_milliseconds_sum{flow="metered"}')).to.equal(90_003);
    expect(samples.get('synergy_flow_scheduler_lag_milliseconds_bucket{flow="metered",le="5"}')).to.equal(1);
    expect(samples.get('synergy_flow_scheduler_lag_milliseconds_bucket{flow="metered",le="+Inf"}')).to.equal(2);
    expect([...samples.keys()].filter((k) => k.includes('another_apps_flow'))).to.deep.equal([]);
    // A viewer started later counts from its own start.
    await viewer.close();
    viewer = await t.app.serve({ port: 0, token: TOKEN, metrics: true });
    expect((await scrape()).samples.get('synergy_flow_scheduler_lag_milliseconds_count{flow="metered"}')).to.equal(undefined);
  });

  it('is behind the token, unless publicRead', async () => {
    expect((await http(viewer.url, 'GET', '/metrics')).status).to.equal(401);
    expect((await http(viewer.url, 'GET', '/metrics', { token: 'wrong' })).status).to.equal(401);
    const open = await t.app.serve({ port: 0, token: TOKEN, publicRead: true, metrics: true });
    try {
      expect((await http(open.url, 'GET', '/metrics')).status).to.equal(200);
    } finally {
      await open.close();
    }
  });

  it('is not served without metrics: true', async () => {
    const plain = await t.app.serve({ port: 0 });
    try {
      expect((await http(plain.url, 'GET', '/metrics')).status).to.equal(404);
    } finally {
      await plain.close();
    }
  });
});
