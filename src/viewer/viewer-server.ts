import fastify, { type FastifyInstance } from 'fastify';
import { merge } from 'rxjs';
import type { FlowApplication } from '../flow-application.port';
import { describeError } from '../engine/describe-error';
import { ActionStateTracker } from './action-state.tracker';
import { connectionBudget } from './connection-budget';
import { EventStreamBroadcaster } from './event-stream.broadcaster';
import { OtherEnginesFollower } from './other-engines.follower';
import { errorResponse } from './error-status';
import { jsonPostHook } from './json-post.hook';
import { redactingJsonSerializer } from './redacting-json.serializer';
import { loopbackHostHook } from './loopback-host.hook';
import { loadPageAssets } from './page-assets';
import { LogReadBudget } from './log-read.budget';
import { registerEventsRoute } from './routes/events.route';
import { registerFlowsRoutes } from './routes/flows.route';
import { registerGridRoute } from './routes/grid.route';
import { registerHistoryRoute } from './routes/history.route';
import { registerPageRoutes } from './routes/page.route';
import { registerRunCommandsRoutes } from './routes/run-commands.route';
import { registerRunsRoutes } from './routes/runs.route';
import { registerStepLogRoute } from './routes/step-log.route';
import { registerScheduleRoutes } from './routes/schedule.route';
import { registerHealthRoute } from './routes/health.route';
import { registerMetricsRoute } from './routes/metrics.route';
import { RunMetricsCollector } from '../telemetry/run-metrics.collector';
import { requireRouteAccess, routeAccessHook } from './route-access.hook';
import { InvalidRequestError, ViewerBusyError } from '../errors';
import { resolveServeOptions, type ServeLimits, type ServeOptions, type ViewerServer } from './serve-options';
import type { ViewerContext } from './viewer-context';
import type { Scheduler } from '../scheduler';
import { AppHistorySource } from './run-history.source';

/** Quiet event streams get a comment this often, so that proxies and the idle timeout keep them open. */
const HEARTBEAT_MS = 15_000;
/**
 * Events go out to the streams in batches at most this often: one write per stream per batch
 * instead of one per event, so hundreds of clients do not multiply what each event costs the engine.
 */
const EVENT_FLUSH_MS = 250;

/** Starts the web flow viewer on `app` (what `app.serve()` does). */
export async function startViewer(app: FlowApplication, options: ServeOptions): Promise<ViewerServer> {
  const resolved = resolveServeOptions(options);
  const assets = loadPageAssets();
  const { limits } = resolved;
  const maxConnections = connectionBudget(limits);
  let scheduler: Scheduler | undefined;
  // Other engines' runs, read from the database while a page listens: the page follows them as it follows ours.
  const follower = new OtherEnginesFollower(app, {
    pollMs: resolved.otherEnginesPollMs,
    listening: () => context.broadcaster.size > 0,
  });
  const context: ViewerContext = {
    app,
    tracker: new ActionStateTracker(app.events$),
    broadcaster: new EventStreamBroadcaster(merge(app.events$, follower.events$), {
      maxBufferedBytes: limits.eventBufferBytes,
      // a heartbeat well within the idle timeout, so that a quiet stream is not closed as idle
      heartbeatMs: Math.min(HEARTBEAT_MS, Math.floor(limits.idleTimeoutMs / 3)),
      flushMs: EVENT_FLUSH_MS,
    }),
    history: new AppHistorySource(app),
    // made on first use: a viewer whose page never shows a schedule does not load the scheduler
    scheduler: () => (scheduler ??= app.scheduler()),
    logReads: new LogReadBudget(limits),
  };
  // no request logging: a logged Authorization header or URL is how tokens leak
  const server = fastify({
    logger: false,
    forceCloseConnections: true,
    bodyLimit: 64 * 1024,
    // a client that never finishes its headers (slowloris) or never sends a byte is answered 408 and closed
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: checkingInterval(limits),
    },
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
  });
  // connections beyond the budget are closed as they arrive, before they cost more than a moment's descriptor
  server.server.maxConnections = maxConnections;

  if (resolved.loopback) server.addHook('onRequest', loopbackHostHook());
  if (resolved.token !== undefined) server.addHook('onRequest', routeAccessHook(resolved.token, resolved.publicRead));
  server.addHook('onRoute', requireRouteAccess);
  server.addHook('onRequest', jsonPostHook());
  server.setReplySerializer(redactingJsonSerializer(app.logs.redact));
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    // a button with no options may send an empty body: that is {}, not an error
    if (String(body).trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(String(body)));
    } catch (err) {
      done(
        new InvalidRequestError(`the body is not valid JSON (${(err as Error).message}); send {} or { "clusters": 2, "failFast": false }`),
        undefined,
      );
    }
  });
  registerRoutes(server, context, assets);
  registerHealthRoute(server, app);
  // counted from now on: created before the server listens, so no run started from the page is missed
  const metrics = resolved.metrics ? new RunMetricsCollector(app.events$, app.flows()) : undefined;
  if (metrics) registerMetricsRoute(server, metrics);
  server.setErrorHandler(async (err, _request, reply) => {
    const body = errorResponse(err);
    // our own errors (a 503 for a busy viewer) say what they are; only the unexpected ones need their cause kept
    if (body.statusCode >= 500 && body.code === undefined) console.error(`synergy-flow viewer: ${app.logs.redact(describeError(err))}`);
    if (body.statusCode === 401) reply.header('www-authenticate', 'Bearer realm="synergy-flow"');
    if (err instanceof ViewerBusyError) reply.header('retry-after', String(err.retryAfterSeconds));
    return reply.code(body.statusCode).send(body);
  });
  server.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({
      statusCode: 404,
      error: 'NotFound',
      message: `no route ${request.method} ${request.url.split('?')[0]}: the page is at /, the API under /api (see docs/viewer.md)`,
    }),
  );

  try {
    await server.listen({ port: resolved.port, host: resolved.host });
  } catch (err) {
    await follower.close();
    context.tracker.close();
    context.broadcaster.close();
    metrics?.close();
    throw err;
  }
  follower.start();
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : resolved.port;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      appClosed.unsubscribe();
      await follower.close();
      context.tracker.close();
      context.broadcaster.close();
      metrics?.close();
      await server.close();
    })());
  // app.close() completes events$: a viewer must not outlive the database it reads
  const appClosed = app.events$.subscribe({ complete: () => void close() });
  return { url: `http://${host}:${port}/`, close };
}

function registerRoutes(server: FastifyInstance, context: ViewerContext, assets: ReturnType<typeof loadPageAssets>): void {
  registerPageRoutes(server, assets);
  registerFlowsRoutes(server, context);
  registerRunsRoutes(server, context);
  registerGridRoute(server, context);
  registerHistoryRoute(server, context);
  registerStepLogRoute(server, context);
  registerRunCommandsRoutes(server, context);
  registerScheduleRoutes(server, context);
  registerEventsRoute(server, context);
}

/** Node checks the header and request timeouts every so often (30 s by default): often enough that a timeout is kept to within a quarter of it. */
function checkingInterval(limits: ServeLimits): number {
  return Math.max(10, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4)));
}
