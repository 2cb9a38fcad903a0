import type { FastifyReply } from 'fastify';

/**
 * A signal that aborts when the client's connection closes before its answer is sent: the work
 * done for it (a log read) stops there, rather than go on for a client nobody will answer.
 */
export function clientGoneSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const response = reply.raw;
  response.once('close', () => {
    if (!response.writableFinished) controller.abort(new Error('the client closed its connection before its answer was sent'));
  });
  return controller.signal;
}
