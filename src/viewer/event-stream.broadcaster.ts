import type { ServerResponse } from 'node:http';
import type { Observable, Subscription } from 'rxjs';
import type { FlowEvent } from '../engine/flow-event';

/** Which events a stream asked for (`/api/events?flow=&timeperiod=`); undefined: all of them. */
export interface StreamFilter {
  flowName?: string;
  timeperiod?: string;
}

interface Stream {
  res: ServerResponse;
  /** The filter's key: streams with the same filter get the very same bytes. */
  key: string;
  filter: StreamFilter;
}

interface Encoded {
  flowName: string;
  timeperiod: string;
  text: string;
}

export interface BroadcasterOptions {
  /** A stream whose socket has not taken more than this many bytes of earlier batches is too far behind: it is closed, and its client reconnects. */
  maxBufferedBytes: number;
  /** How often a comment line is sent, so that idle streams are not taken for dead connections. */
  heartbeatMs: number;
  /** Events are sent in batches at most this often. */
  flushMs: number;
}

const HEARTBEAT = Buffer.from(': heartbeat\n\n');

/**
 * The viewer's one subscription to `app.events$`, shared by every event stream. The engine emits
 * events on its own thread, one at a time, and must not wait for the viewer's clients: an event is
 * encoded once, when it is emitted, and queued; every `flushMs` the queue goes out, as one write per
 * stream of bytes shared by the streams with the same filter. So an event costs the engine one
 * encoding whatever the number of streams, and a batch one write per stream; a stream that cannot
 * keep up is closed instead of buffered without end.
 */
export class EventStreamBroadcaster {
  private readonly streams = new Set<Stream>();
  private pending: Encoded[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly subscription: Subscription;
  /** The `id:` of the last event; shared by every stream, so an id names the same event everywhere. */
  private lastId = 0;

  constructor(events$: Observable<FlowEvent>, private readonly options: BroadcasterOptions) {
    this.subscription = events$.subscribe({ next: (event) => this.enqueue(event), complete: () => this.close() });
    this.heartbeat = setInterval(() => this.sendToAll(HEARTBEAT), options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Adds a stream whose headers are written; it receives every event emitted from now on that passes its filter. */
  add(res: ServerResponse, filter: StreamFilter): void {
    // what is queued was emitted before this stream subscribed: it goes to the streams that were there
    this.flush();
    const stream: Stream = { res, filter, key: `${filter.flowName ?? ''}\u0000${filter.timeperiod ?? ''}` };
    this.streams.add(stream);
    res.on('close', () => this.streams.delete(stream));
  }

  get size(): number {
    return this.streams.size;
  }

  /** Sends what is queued, then ends every stream. */
  close(): void {
    this.subscription.unsubscribe();
    clearInterval(this.heartbeat);
    this.flush();
    for (const { res } of this.streams) res.end();
    this.streams.clear();
  }

  private enqueue(event: FlowEvent): void {
    // with no stream open, an event costs a counter: the ids still say how many events there were
    if (this.streams.size === 0) return void ++this.lastId;
    const text = `id: ${++this.lastId}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    this.pending.push({ flowName: event.flowName, timeperiod: event.timeperiod, text });
    this.flushTimer ??= setTimeout(() => this.flush(), this.options.flushMs);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const events = this.pending;
    this.pending = [];
    if (events.length === 0 || this.streams.size === 0) return;
    const batches = new Map<string, Buffer | null>();
    for (const stream of this.streams) {
      let batch = batches.get(stream.key);
      if (batch === undefined) {
        const { flowName, timeperiod } = stream.filter;
        const texts = events.filter((e) => (flowName === undefined || e.flowName === flowName) && (timeperiod === undefined || e.timeperiod === timeperiod)).map((e) => e.text);
        batch = texts.length ? Buffer.from(texts.join('')) : null;
        batches.set(stream.key, batch);
      }
      if (batch) this.send(stream.res, batch);
    }
  }

  private sendToAll(bytes: Buffer): void {
    for (const { res } of this.streams) this.send(res, bytes);
  }

  private send(res: ServerResponse, bytes: Buffer): void {
    if (res.destroyed || res.writableEnded) return;
    // what is still waiting from earlier batches: a client that reads keeps this near zero, whatever the size of a batch
    if (res.writableLength > this.options.maxBufferedBytes) {
      res.destroy();
      return;
    }
    res.write(bytes);
  }
}
