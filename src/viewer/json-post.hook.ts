import type { FastifyRequest } from 'fastify';
import { InvalidRequestError } from '../errors';

/**
 * Another site's page can send a plain form or a bodiless POST to 127.0.0.1 without any CORS
 * check, but not a JSON one: requiring JSON keeps such pages from pressing the run buttons.
 */
export function jsonPostHook() {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.method !== 'POST') return;
    const type = String(request.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (type !== 'application/json') {
      throw new InvalidRequestError(
        `POST requests need the header "Content-Type: application/json" and a JSON body ({} when there are no options); got ${type ? `"${type}"` : 'no content type'}`,
      );
    }
  };
}
