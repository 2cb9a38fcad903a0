import type { ServerResponse } from 'node:http';
import * as zlib from 'node:zlib';
import type { Observable, Subscription } from 'rxjs';
import type { FlowEvent } from '../domain/flow-event';
import { ADLER32_INITIAL, adler32, adler32Combine } from './adler32';

/** Which events a stream asked for (`/api/events?flow=&timeperiod=`); undefined: all of them. */
export interface StreamFilter {
  flowName?: string;
  timeperiod?: string;
}

/** `deflate` when the client accepts it (browsers do): the stream is a zlib stream (RFC 1950). */
export type StreamEncoding = 'identity' | 'deflate';

interface Stream {
  res: ServerResponse;
  /** The filter's key: streams with the same filter get the very same bytes. */
  key: string;
  filter: StreamFilter;
  encoding: StreamEncoding;
  /** Adler-32 of what a deflate stream has sent, uncompressed: its zlib trailer. */
  checksum: number;
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

/**
 * Bytes to send to every stream of a filter, in both encodings. Each batch is compressed on its own
 * (a fresh compressor, ended by a sync flush rather than a final block), so the compressed batches
 * of a stream form one deflate stream however late it joined, and one compression serves them all.
 */
class Batch {
  private compressed?: { bytes: Buffer; checksum: number };

  constructor(readonly plain: Buffer) {}

  static of(text: string): Batch {
    return new Batch(Buffer.from(text));
  }

  deflated(): { bytes: Buffer; checksum: number } {
    this.compressed ??= {
      bytes: zlib.deflateRawSync(this.plain, { level: zlib.constants.Z_BEST_SPEED, finishFlush: zlib.constants.Z_SYNC_FLUSH }),
      checksum: adler32(this.plain),
    };
    return this.compressed;
  }
}

/** The zlib header (deflate, 32 KiB window, fastest compression), sent once to each deflate stream. */
const ZLIB_HEADER = Buffer.from([0x78, 0x01]);
/** An empty final block: what ends a deflate stream before its checksum. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
const CONNECTED = Batch.of('retry: 2000\n: connected\n\n');
const HEARTBEAT = Batch.of(': heartbeat\n\n');

/**
 * The viewer's one subscription to `app.events$`, shared by every event stream. The engine emits
 * events on its own thread, one at a time, and must not wait for the viewer's clients: an event is
 * encoded once, when it is emitted, and queued; every `flushMs` the queue goes out as one batch per
 * filter, compressed once for all the streams that accept `deflate`, one write per stream. So an
 * event costs the engine one encoding whatever the number of streams, a batch one compression and
 * one write per stream (of about a tenth of its size when compressed); a stream that cannot keep up
 * is closed instead of buffered without end.
 */
export class EventStreamBroadcaster {
  private readonly streams = new Set<Stream>();
  private pending: Encoded[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly subscription: Subscription;
  /** The `id:` of the last event; shared by every stream, so an id names the same event everywhere. */
  private lastId = 0;

  constructor(
    events$: Observable<FlowEvent>,
    private readonly options: BroadcasterOptions,
  ) {
    this.subscription = events$.subscribe({ next: (event) => this.enqueue(event), complete: () => this.close() });
    this.heartbeat = setInterval(() => {
      for (const stream of this.streams) this.send(stream, HEARTBEAT);
    }, options.heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Adds a stream whose headers are written (with `Content-Encoding: deflate` for a deflate one) and
   * sends its first line; it receives every event emitted from now on that passes its filter.
   */
  add(res: ServerResponse, filter: StreamFilter, encoding: StreamEncoding): void {
    // what is queued was emitted before this stream subscribed: it goes to the streams that were there
    this.flush();
    const stream: Stream = {
      res,
      filter,
      encoding,
      checksum: ADLER32_INITIAL,
      key: `${filter.flowName ?? ''}\u0000${filter.timeperiod ?? ''}`,
    };
    this.streams.add(stream);
    res.on('close', () => this.streams.delete(stream));
    if (encoding === 'deflate') res.write(ZLIB_HEADER);
    this.send(stream, CONNECTED);
  }

  get size(): number {
    return this.streams.size;
  }

  /** Sends what is queued, then ends every stream. */
  close(): void {
    this.subscription.unsubscribe();
    clearInterval(this.heartbeat);
    this.flush();
    for (const stream of this.streams) {
      if (stream.encoding === 'identity') stream.res.end();
      else stream.res.end(Buffer.concat([FINAL_BLOCK, checksumBytes(stream.checksum)]));
    }
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
    const batches = new Map<string, Batch | null>();
    for (const stream of this.streams) {
      let batch = batches.get(stream.key);
      if (batch === undefined) {
        const { flowName, timeperiod } = stream.filter;
        const texts = events
          .filter((e) => (flowName === undefined || e.flowName === flowName) && (timeperiod === undefined || e.timeperiod === timeperiod))
          .map((e) => e.text);
        batch = texts.length ? Batch.of(texts.join('')) : null;
        batches.set(stream.key, batch);
      }
      if (batch) this.send(stream, batch);
    }
  }

  private send(stream: Stream, batch: Batch): void {
    const { res } = stream;
    if (res.destroyed || res.writableEnded) return;
    // what is still waiting from earlier batches: a client that reads keeps this near zero, whatever the size of a batch
    if (res.writableLength > this.options.maxBufferedBytes) {
      res.destroy();
      return;
    }
    if (stream.encoding === 'identity') {
      res.write(batch.plain);
      return;
    }
    const { bytes, checksum } = batch.deflated();
    stream.checksum = adler32Combine(stream.checksum, checksum, batch.plain.length);
    res.write(bytes);
  }
}

function checksumBytes(checksum: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(checksum);
  return bytes;
}
