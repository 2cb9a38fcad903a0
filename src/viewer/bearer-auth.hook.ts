import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from './unauthorized.error';

/**
 * With a token configured: every POST under /api needs it, GETs too unless publicRead. The page
 * and its scripts hold no data and stay public, so the browser can load them and ask for the token.
 */
export function bearerAuthHook(token: string, publicRead: boolean) {
  // comparing digests keeps the comparison constant-time whatever the length sent
  const expected = digest(token);
  return async (request: FastifyRequest): Promise<void> => {
    if (!request.url.startsWith('/api/')) return;
    if (publicRead && (request.method === 'GET' || request.method === 'HEAD')) return;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    if (!match || !timingSafeEqual(digest(match[1]), expected)) throw new UnauthorizedError();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
