import * as http from 'node:http';
import * as zlib from 'node:zlib';
import { expect } from 'chai';
import { Flow, Main, Step } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import type { ViewerServer } from '../../src/viewer';
import { EightStepFlow } from '../../samples';
import { SseReader, type SseMessage } from './sse-reader';

/** A megabyte of error text: each failing step below puts two such events on the stream. */
const LOUD_ERROR = 'x'.repeat(1024 * 1024);

function loudStep(name: string) {
  class Loud {
    run(): never {
      throw new Error(LOUD_ERROR);
    }
  }
  Main()(Loud.prototype, 'run', Object.getOwnPropertyDescriptor(Loud.prototype, 'run')!);
  Step({ name })(Loud);
  return Loud;
}

/** Eight independent steps that each fail with a 1 MiB error: ~16 MiB of events, more than the sockets' buffers hold. */
@Flow({ name: 'loud', steps: Array.from({ length: 8 }, (_, i) => loudStep(`loud_${i}`)) })
class LoudFlow {}

/**
 * An event-stream client that stops reading once it has the headers (as a stalled browser tab
 * does) until `resume()`; it parses what it got, and says whether the viewer closed it.
 */
class PausedClient {
  readonly closed: Promise<void>;
  /** The events received, in order, with their ids. */
  readonly received: Array<{ id: string; event: { type: string; state?: string; timeperiod?: string } }> = [];
  private readonly response: Promise<http.IncomingMessage>;
  private rest = '';
  private waiters: Array<() => void> = [];

  constructor(url: string) {
    this.response = new Promise((resolve, reject) => {
      const req = http.get(new URL('/api/events', url), { headers: { accept: 'text/event-stream' } }, (res) => {
        res.pause();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.parse(chunk));
        resolve(res);
      });
      req.on('error', reject);
    });
    this.closed = this.response.then((res) => new Promise<void>((resolve) => res.socket.once('close', () => resolve())));
  }

  opened(): Promise<unknown> {
    return this.response;
  }

  async resume(): Promise<void> {
    (await this.response).resume();
  }

  /** Waits until an event satisfies `predicate`. */
  async until(predicate: (event: { type: string; state?: string; timeperiod?: string }) => boolean): Promise<void> {
    while (!this.received.some((m) => predicate(m.event))) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private parse(chunk: string): void {
    this.rest += chunk;
    let end: number;
    while ((end = this.rest.indexOf('\n\n')) >= 0) {
      const block = this.rest.slice(0, end);
      this.rest = this.rest.slice(end + 2);
      const data = /^data: (.*)$/m.exec(block);
      if (data) this.received.push({ id: /^id: (\d+)$/m.exec(block)![1], event: JSON.parse(data[1]) });
    }
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** An event-stream response read whole, as the bytes that came over the wire, until the viewer ends it. */
function rawStream(url: string, headers: Record<string, string>): Promise<{ res: http.IncomingMessage; body: Promise<Buffer> }> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL('/api/events', url), { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        resolve({ res, body: new Promise((done) => res.on('end', () => done(Buffer.concat(chunks)))) });
      })
      .on('error', reject);
  });
}

function eventsIn(text: string): unknown[] {
  return [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]));
}

describe('viewer/event-stream.broadcaster', () => {
  let t: TestingApp;
  let viewer: ViewerServer | undefined;
  const readers: SseReader[] = [];

  beforeEach(async () => {
    t = await createTestingApp({ flows: [EightStepFlow, LoudFlow] });
  });

  afterEach(async () => {
    for (const reader of readers.splice(0)) reader.close();
    await viewer?.close();
    viewer = undefined;
    await t.teardown();
  });

  const loudRunEnded = (timeperiod: string) => (m: { type: string; state?: string; timeperiod?: string }) =>
    m.type === 'flow' && m.state === 'invalid' && m.timeperiod === timeperiod;

  it('gives an event the same id on every stream, filtered or not', async () => {
    viewer = await t.app.serve({ port: 0 });
    const all = new SseReader(new URL('/api/events', viewer.url).href);
    const one = new SseReader(new URL('/api/events?flow=eight_steps&timeperiod=2026112700', viewer.url).href);
    readers.push(all, one);
    await Promise.all([all.opened, one.opened]);
    await t.app.run('eight_steps', { timeperiod: '2026112600' });
    await t.app.run('eight_steps', { timeperiod: '2026112700' });
    const ended = (m: SseMessage) =>
      m.event === 'flow' && JSON.parse(m.data).state === 'processed' && JSON.parse(m.data).timeperiod === '2026112700';
    await Promise.all([all.until(ended), one.until(ended)]);
    const byId = new Map(all.messages.map((m) => [m.id, m.data]));
    expect(one.messages.length).to.be.greaterThan(10);
    for (const message of one.messages) expect(byId.get(message.id), `id ${message.id}`).to.equal(message.data);
  });

  it('compresses the stream of a client that accepts deflate into a zlib stream that decodes to every event, however late it joined', async () => {
    viewer = await t.app.serve({ port: 0 });
    const early = await rawStream(viewer.url, { 'accept-encoding': 'gzip, deflate, br' });
    const plain = await rawStream(viewer.url, {});
    const first = t.events.length;
    await t.app.run('eight_steps', { timeperiod: '2026112600' });
    const late = await rawStream(viewer.url, { 'accept-encoding': 'deflate' });
    const second = t.events.length;
    await t.app.run('eight_steps', { timeperiod: '2026112700' });
    await viewer.close();
    viewer = undefined;

    expect(early.res.headers['content-encoding']).to.equal('deflate');
    expect(late.res.headers['content-encoding']).to.equal('deflate');
    expect(plain.res.headers['content-encoding']).to.equal(undefined);
    const expected = (from: number) => JSON.parse(JSON.stringify(t.events.slice(from)));
    // inflateSync checks the zlib trailer too: each stream ends as a whole, valid zlib stream
    const earlyBody = await early.body;
    expect(eventsIn(zlib.inflateSync(earlyBody).toString())).to.deep.equal(expected(first));
    expect(eventsIn(zlib.inflateSync(await late.body).toString())).to.deep.equal(expected(second));
    const plainBody = await plain.body;
    expect(eventsIn(plainBody.toString())).to.deep.equal(expected(first));
    expect(earlyBody.length).to.be.below(plainBody.length / 3);
  });

  it('keeps a stream that falls behind by less than eventBufferBytes, which then catches up with every event', async function () {
    this.timeout(60_000);
    viewer = await t.app.serve({ port: 0, limits: { eventBufferBytes: 64 * 1024 * 1024 } });
    const stalled = new PausedClient(viewer.url);
    await stalled.opened();
    const from = t.events.length;
    const result = await t.app.run('loud', { timeperiod: '2026112600', failFast: false });
    expect(result.state).to.equal('invalid');
    await stalled.resume();
    const cut = stalled.closed.then(() => Promise.reject(new Error('the viewer closed the stalled stream')));
    await Promise.race([stalled.until(loudRunEnded('2026112600')), cut]);
    const expected = t.events.slice(from);
    expect(stalled.received.map((m) => m.event)).to.deep.equal(JSON.parse(JSON.stringify(expected)));
  });

  it('closes a stream that falls further behind than eventBufferBytes, and goes on serving the others', async function () {
    this.timeout(60_000);
    viewer = await t.app.serve({ port: 0, limits: { eventBufferBytes: 256 * 1024 } });
    const stalled = new PausedClient(viewer.url);
    await stalled.opened();
    const from = t.events.length;
    expect((await t.app.run('loud', { timeperiod: '2026112600', failFast: false })).state).to.equal('invalid');
    const loudEvents = t.events.length - from;

    // the next batch finds the stalled stream megabytes behind: it is closed, the reading one is served
    const reading = new SseReader(new URL('/api/events', viewer.url).href);
    readers.push(reading);
    await reading.opened;
    const next = t.events.length;
    await t.app.run('eight_steps', { timeperiod: '2026112600' });
    await reading.until((m) => m.event === 'flow' && JSON.parse(m.data).state === 'processed');
    expect(reading.messages.map((m) => JSON.parse(m.data))).to.deep.equal(JSON.parse(JSON.stringify(t.events.slice(next))));

    // once it reads again, the stalled client finds its stream cut short: it reconnects and re-reads the state
    await stalled.resume();
    await stalled.closed;
    expect(stalled.received.length).to.be.lessThan(loudEvents);
  });
});
