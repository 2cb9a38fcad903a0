import { expect } from 'chai';
import { createTestingApp, type TestingApp } from '../../../src/testing';
import type { ViewerServer } from '../../../src/viewer';
import { EightStepFlow, FailThenRecoverFlow } from '../../../samples';
import { SseReader } from '../sse-reader';
import { http } from '../viewer-http';

describe('viewer/routes/events', () => {
  let t: TestingApp;
  let viewer: ViewerServer;
  const readers: SseReader[] = [];
  const open = (path: string) => {
    const reader = new SseReader(new URL(path, viewer.url).href);
    readers.push(reader);
    return reader;
  };

  before(async () => {
    t = await createTestingApp({
      flows: [EightStepFlow, FailThenRecoverFlow],
      settings: { markerFile: '/nonexistent/synergy-flow-viewer-marker' },
    });
    viewer = await t.app.serve({ port: 0 });
  });

  after(async () => {
    for (const reader of readers) reader.close();
    await viewer.close();
    await t.teardown();
  });

  it('streams every event of app.events$ as Server-Sent Events, in order', async () => {
    const reader = open('/api/events');
    const response = await reader.opened;
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.contain('text/event-stream');

    const from = t.events.length;
    await t.app.run('eight_steps', { timeperiod: '2026112600' });
    await reader.until((m) => m.event === 'flow' && JSON.parse(m.data).state === 'processed');
    const expected = t.events.slice(from);
    expect(reader.messages.map((m) => m.event)).to.deep.equal(expected.map((e) => e.type));
    expect(reader.messages.map((m) => JSON.parse(m.data))).to.deep.equal(JSON.parse(JSON.stringify(expected)));
    expect(reader.messages.map((m) => m.id)).to.deep.equal(expected.map((_, i) => String(i + 1)));
  });

  it('filters by flow and timeperiod', async () => {
    const reader = open('/api/events?flow=fail_then_recover&timeperiod=2026112700');
    await reader.opened;
    await t.app.run('eight_steps', { timeperiod: '2026112700' });
    await t.app.run('fail_then_recover', { timeperiod: '2026112600' });
    await t.app.run('fail_then_recover', { timeperiod: '2026112700' });
    await reader.until((m) => m.event === 'flow' && JSON.parse(m.data).state === 'invalid');
    const seen = reader.messages.map((m) => JSON.parse(m.data));
    expect(seen.length).to.be.greaterThan(4);
    expect(seen.every((e) => e.flowName === 'fail_then_recover' && e.timeperiod === '2026112700')).to.equal(true);
    const failed = seen.find((e) => e.type === 'step' && e.stepName === 'load' && e.state === 'invalid');
    expect(failed.error).to.contain('upstream data is not delivered yet');
  });

  it('refuses an unknown flow (404) or a malformed timeperiod (400) before streaming', async () => {
    const flow = await http(viewer.url, 'GET', '/api/events?flow=nope');
    expect(flow.status).to.equal(404);
    expect(flow.body.error).to.equal('UnknownFlowError');
    const tp = await http(viewer.url, 'GET', '/api/events?timeperiod=2026');
    expect(tp.status).to.equal(400);
    expect(tp.body.error).to.equal('InvalidTimeperiodError');
  });

  it('ends the open streams when the viewer closes', async () => {
    const own = await t.app.serve({ port: 0 });
    const reader = new SseReader(new URL('/api/events', own.url).href);
    readers.push(reader);
    await reader.opened;
    await own.close();
    await reader.ended;
    await own.close(); // closing twice is harmless
  });
});
