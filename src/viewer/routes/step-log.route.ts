import type { FastifyInstance, FastifyReply } from 'fastify';
import { InvalidRequestError } from '../../errors';
import { clientGoneSignal } from '../client-gone.signal';
import { flowParam, integerQuery, runIdParam, stepParam, timeperiodParam } from '../route-params';
import { readRunLog, type RunLogRequest, type RunLogTail } from '../step-log.reader';
import type { ViewerContext } from '../viewer-context';
import { READ } from '../route-access';

const DEFAULT_BYTES = 256 * 1024;
const MAX_BYTES = 4 * 1024 * 1024;

interface LogQuery {
  maxBytes?: string;
  runId?: string;
  attempt?: string;
}

/**
 * The log routes of a run:
 * - GET /api/flows/:flow/runs/:tp/steps/:step/log?runId=&attempt=&maxBytes=: the step's lines of
 *   one run (`runId`, else that timeperiod's latest), or of one attempt of it (`attempt`);
 * - GET /api/flows/:flow/runs/:tp/log?runId=&maxBytes=: the flow's own lines, the same way.
 * The files' paths are built from the definition's names, never from the URL's. An unknown run id,
 * one of another timeperiod, or a timeperiod that never ran: 404 with a JSON body. Reads take
 * turns (limits.maxLogReads; a full queue is a 503) and stop when their client goes.
 */
export function registerStepLogRoute(server: FastifyInstance, context: ViewerContext): void {
  const { app } = context;
  server.get<{ Params: { flow: string; tp: string; step: string }; Querystring: LogQuery }>(
    '/api/flows/:flow/runs/:tp/steps/:step/log',
    READ,
    async (request, reply) => {
      const definition = flowParam(app, request.params.flow);
      const timeperiod = timeperiodParam(request.params.tp);
      const step = stepParam(definition, request.params.step);
      const maxBytes = integerQuery('maxBytes', request.query.maxBytes, DEFAULT_BYTES, 1, MAX_BYTES);
      const runId = runIdQuery(request.query.runId);
      const attempt = request.query.attempt === undefined ? undefined : integerQuery('attempt', request.query.attempt, 1, 1, 1_000_000);
      if (attempt !== undefined && runId === undefined)
        throw new InvalidRequestError('query parameter attempt needs runId: attempts are those of one run');
      const log = await readForClient(context, reply, { flow: definition.name, step: step.name, timeperiod, runId, attempt, maxBytes });
      if (!log) return reply;
      return { flowName: definition.name, timeperiod, stepName: step.name, attempt: attempt ?? null, ...log };
    },
  );
  server.get<{ Params: { flow: string; tp: string }; Querystring: LogQuery }>(
    '/api/flows/:flow/runs/:tp/log',
    READ,
    async (request, reply) => {
      const definition = flowParam(app, request.params.flow);
      const timeperiod = timeperiodParam(request.params.tp);
      const maxBytes = integerQuery('maxBytes', request.query.maxBytes, DEFAULT_BYTES, 1, MAX_BYTES);
      const runId = runIdQuery(request.query.runId);
      const log = await readForClient(context, reply, { flow: definition.name, timeperiod, runId, maxBytes });
      if (!log) return reply;
      return { flowName: definition.name, timeperiod, ...log };
    },
  );
}

/**
 * The log read, in its turn, for as long as its client waits. Undefined when the client went
 * (waiting or reading): nothing is sent, and nothing logged, since nobody is there to read it.
 */
async function readForClient(
  { app, logReads }: ViewerContext,
  reply: FastifyReply,
  request: RunLogRequest,
): Promise<RunLogTail | undefined> {
  const gone = clientGoneSignal(reply);
  try {
    return await logReads.run(gone, () => readRunLog(app, request, gone));
  } catch (err) {
    if (!gone.aborted) throw err;
    reply.hijack();
    return undefined;
  }
}

/** The `runId` query parameter: absent, or a run id's shape (an unknown one is a 404 later, from app.logs). */
function runIdQuery(value: unknown): string | undefined {
  return value === undefined || value === '' ? undefined : runIdParam('runId', value);
}
