import type { FastifyInstance } from 'fastify';
import { filter } from 'rxjs';
import { flowParam, timeperiodParam } from '../route-params';
import type { ViewerContext } from '../viewer-context';
import { READ } from '../route-access';

const HEARTBEAT_MS = 15_000;
/** A client this far behind is dropped rather than buffered without end; it reconnects and re-reads. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * GET /api/events[?flow=&timeperiod=]: app.events$ as Server-Sent Events, one `event: <type>` per
 * flow/step/action/retry event. The subscription exists before the first byte is sent, so a client
 * that has the response has every later event.
 */
export function registerEventsRoute(server: FastifyInstance, { app, streams }: ViewerContext): void {
  server.get<{ Querystring: { flow?: string; timeperiod?: string } }>('/api/events', READ, async (request, reply) => {
    const flowName = request.query.flow ? flowParam(app, request.query.flow).name : undefined;
    const timeperiod = request.query.timeperiod ? timeperiodParam(request.query.timeperiod) : undefined;

    reply.hijack();
    const res = reply.raw;
    // headers go out with the first write, which comes after the subscription
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let id = 0;
    const send = (text: string) => {
      if (!res.destroyed && !res.writableEnded) res.write(text);
    };
    const subscription = app.events$
      .pipe(filter((e) => (flowName === undefined || e.flowName === flowName) && (timeperiod === undefined || e.timeperiod === timeperiod)))
      .subscribe({
        next: (event) => {
          send(`id: ${++id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
          if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
        },
        complete: () => res.end(),
      });
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const stop = () => {
      clearInterval(heartbeat);
      subscription.unsubscribe();
      streams.delete(res);
    };
    res.on('close', stop);
    if (res.writableEnded) {
      stop();
      return reply;
    }
    streams.add(res);
    send('retry: 2000\n: connected\n\n');
    return reply;
  });
}
