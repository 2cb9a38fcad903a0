import type { FastifyRequest } from 'fastify';
import { ForbiddenHostError } from '../errors';

const ALLOWED = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * A viewer on 127.0.0.1 without a token trusts whoever can reach it, and a web page that rebinds
 * its own DNS name to 127.0.0.1 can reach it from the user's browser. Such requests carry the
 * page's host name, so only loopback names are answered.
 */
export function loopbackHostHook() {
  return async (request: FastifyRequest): Promise<void> => {
    const host = (request.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    if (!ALLOWED.includes(host) && !/^127\.\d+\.\d+\.\d+$/.test(host)) throw new ForbiddenHostError(ALLOWED);
  };
}
