import type { FastifyInstance } from 'fastify';
import type { FlowApplication } from '../../flow-application.port';
import { HEALTH } from '../route-access';

/**
 * GET /healthz, for a load balancer or a liveness/readiness probe (no token needed): 200
 * `{ status: 'ok', database: 'reachable', runsInFlight, instanceId }`, or 503 with `status: 'unavailable'`
 * and the reason when the database does not answer. `instanceId` says which engine answered (behind a
 * load balancer), by the id FlowLockedError names a lease's holder by.
 */
export function registerHealthRoute(server: FastifyInstance, app: FlowApplication): void {
  server.get('/healthz', HEALTH, async (_request, reply) => {
    const health = await app.health();
    // a probe must see the answer of now, never a proxy's copy
    reply.header('cache-control', 'no-store');
    if (health.database === 'reachable')
      return { status: 'ok', database: health.database, runsInFlight: health.runsInFlight, instanceId: health.instanceId };
    return reply.code(503).send({ status: 'unavailable', ...health });
  });
}
