import type { FastifyInstance } from 'fastify';
import { READ } from '../route-access';
import { flowParam, timeperiodParam } from '../route-params';
import type { ViewerContext } from '../viewer-context';

/**
 * GET /api/events[?flow=&timeperiod=]: app.events$ as Server-Sent Events, one `event: <type>` per
 * flow/step/action/retry event, sent by the shared EventStreamBroadcaster, compressed when the client
 * accepts `deflate` (a browser does: a run's events shrink about tenfold). The stream is registered
 * before the first byte is sent, so a client that has the response has every later event.
 */
export function registerEventsRoute(server: FastifyInstance, { app, broadcaster }: ViewerContext): void {
  server.get<{ Querystring: { flow?: string; timeperiod?: string } }>('/api/events', READ, async (request, reply) => {
    const flowName = request.query.flow ? flowParam(app, request.query.flow).name : undefined;
    const timeperiod = request.query.timeperiod ? timeperiodParam(request.query.timeperiod) : undefined;

    reply.hijack();
    const res = reply.raw;
    // headers go out with the first write, which comes after the stream is registered
    const encoding = acceptsDeflate(request.headers['accept-encoding']) ? 'deflate' : 'identity';
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      vary: 'accept-encoding',
      ...(encoding === 'deflate' && { 'content-encoding': 'deflate' }),
    });
    if (res.destroyed || res.writableEnded) return reply;
    broadcaster.add(res, { flowName, timeperiod }, encoding);
    return reply;
  });
}

/** Whether an Accept-Encoding header lists `deflate` with a non-zero weight. */
function acceptsDeflate(header: string | undefined): boolean {
  return (header ?? '').split(',').some((item) => {
    const [name, ...params] = item.split(';').map((part) => part.trim().toLowerCase());
    return name === 'deflate' && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}
