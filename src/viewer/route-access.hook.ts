import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, RouteOptions } from 'fastify';
import type { RouteAccess } from './route-access';
import { UnauthorizedError } from '../errors';

/**
 * With a token configured: a request passes when the route fastify matched declares `page` or `health` access,
 * or `read` with publicRead, or it carries the token. Anything else is refused, including requests
 * that match no route: the decision is made on the matched route, after fastify decoded and routed
 * the URL, so no spelling of a path (`/%61pi/...`, an absolute-form target) reaches a route unguarded.
 */
export function routeAccessHook(token: string, publicRead: boolean) {
  // comparing digests keeps the comparison constant-time whatever the length sent
  const expected = digest(token);
  return async (request: FastifyRequest): Promise<void> => {
    const access: RouteAccess | undefined = request.routeOptions.config?.access;
    if (access === 'page' || access === 'health') return;
    if (access === 'read' && publicRead) return;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    if (!match || !timingSafeEqual(digest(match[1]), expected)) throw new UnauthorizedError();
  };
}

/** An `onRoute` hook: a route that does not say who may use it is a mistake caught when the viewer starts. */
export function requireRouteAccess(route: RouteOptions): void {
  const access = route.config?.access;
  if (access !== 'page' && access !== 'read' && access !== 'write' && access !== 'health') {
    throw new Error(
      `viewer route ${String(route.method)} ${route.url} declares no access: add { config: { access: 'page' | 'read' | 'write' | 'health' } }`,
    );
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
