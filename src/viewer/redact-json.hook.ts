import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redactor } from '../logging/redaction';

/**
 * The last check on the way out of the API: every string of a JSON answer goes through the
 * redactor, so a step error row written before a secret was known (an older version, another
 * engine's configuration) is served redacted all the same. The values, not the serialized text:
 * a short secret that looks like a number or a key must not break the document. The page's own
 * scripts and styles (strings, not objects, at this hook) are left alone.
 */
export function redactJsonHook(redact: Redactor) {
  return async (_request: FastifyRequest, _reply: FastifyReply, payload: unknown): Promise<unknown> =>
    JSON.parse(JSON.stringify(payload, (_key, value: unknown) => (typeof value === 'string' ? redact(value) : value)));
}
