import type { FastifyInstance } from 'fastify';
import { flowParam, integerQuery, stepParam, timeperiodParam } from '../route-params';
import { readLogTail } from '../step-log.reader';
import type { ViewerContext } from '../viewer-context';
import { READ } from '../route-access';

const DEFAULT_BYTES = 256 * 1024;
const MAX_BYTES = 4 * 1024 * 1024;

/**
 * GET /api/flows/:flow/runs/:tp/steps/:step/log: the end of the step's log file. The file is
 * `<logDirectory>/<flow>/<step>.log` (it spans every timeperiod), its path built from the
 * definition's names, never from the URL's.
 */
export function registerStepLogRoute(server: FastifyInstance, { app }: ViewerContext): void {
  server.get<{ Params: { flow: string; tp: string; step: string }; Querystring: { maxBytes?: string } }>(
    '/api/flows/:flow/runs/:tp/steps/:step/log',
    READ,
    async (request) => {
      const definition = flowParam(app, request.params.flow);
      const timeperiod = timeperiodParam(request.params.tp);
      const step = stepParam(definition, request.params.step);
      const maxBytes = integerQuery('maxBytes', request.query.maxBytes, DEFAULT_BYTES, 1, MAX_BYTES);
      await app.logs.written();
      const tail = await readLogTail(app.logs.stepLogFile(definition.name, step.name), maxBytes);
      return { flowName: definition.name, timeperiod, stepName: step.name, ...tail };
    },
  );
}
