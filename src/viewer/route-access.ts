/**
 * Who may use a route, declared by the route itself (`{ config: { access } }`), so that the guard
 * decides by the route fastify matched, never by how the URL was spelled:
 * - `page`: the page and its scripts, which hold no data: always public, so a browser can load them
 *   and ask for the token;
 * - `read`: data (flows, runs, logs, events): needs the token unless `publicRead`;
 * - `write`: the run buttons: always need the token;
 * - `health`: `/healthz`, for a load balancer or an orchestrator's probe, which has no token: always
 *   public, and it says no more than whether the database answers and how many runs are in flight.
 */
export type RouteAccess = 'page' | 'read' | 'write' | 'health';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export const PAGE = { config: { access: 'page' } } as const;
export const READ = { config: { access: 'read' } } as const;
export const WRITE = { config: { access: 'write' } } as const;
export const HEALTH = { config: { access: 'health' } } as const;
