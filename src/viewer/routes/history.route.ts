import type { FastifyInstance } from 'fastify';
import { presentHistory } from '../history.presenter';
import { flowParam, integerQuery, runIdParam, stepParam, timeperiodParam } from '../route-params';
import type { ViewerContext } from '../viewer-context';
import { READ } from '../route-access';

const MAX_RUNS = 100;

/**
 * GET /api/flows/:flow/history?timeperiod=&limit=&before=&step=: the flow's runs, newest first, each
 * with every attempt of its steps (the timeline and the history list), from the context's history
 * source; `before` is a run id (the last of the previous page); `step` keeps that step's attempts
 * only (the log pane's, which would otherwise read every step's of a large flow at each refresh).
 */
export function registerHistoryRoute(server: FastifyInstance, { app, history }: ViewerContext): void {
  server.get<{ Params: { flow: string }; Querystring: { timeperiod?: string; limit?: string; before?: string; step?: string } }>(
    '/api/flows/:flow/history',
    READ,
    async (request) => {
      const definition = flowParam(app, request.params.flow);
      const { query } = request;
      const timeperiod = query.timeperiod ? timeperiodParam(query.timeperiod) : undefined;
      const before = query.before ? runIdParam('before', query.before) : undefined;
      const limit = integerQuery('limit', query.limit, 20, 1, MAX_RUNS);
      const step = query.step !== undefined ? stepParam(definition, query.step).name : undefined;
      const runs = await history.history(definition.name, {
        limit,
        ...(timeperiod !== undefined && { timeperiod }),
        ...(before !== undefined && { before }),
        ...(step !== undefined && { step }),
      });
      return { flowName: definition.name, runs: presentHistory(definition, runs) };
    },
  );
}
