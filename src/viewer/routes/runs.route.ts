import type { FastifyInstance } from 'fastify';
import { FlowState } from '../../domain/states';
import { flowParam, integerQuery, timeperiodParam } from '../route-params';
import { presentRunDetail, presentRunSummary } from '../run.presenter';
import type { ViewerContext } from '../viewer-context';
import { READ } from '../route-access';

const MAX_PAGE = 100;

/** GET /api/flows/:flow/runs (newest timeperiod first, paginated) and GET /api/flows/:flow/runs/:tp. */
export function registerRunsRoutes(server: FastifyInstance, { app, tracker }: ViewerContext): void {
  server.get<{ Params: { flow: string }; Querystring: { limit?: string; offset?: string } }>(
    '/api/flows/:flow/runs',
    READ,
    async (request) => {
      const definition = flowParam(app, request.params.flow);
      const limit = integerQuery('limit', request.query.limit, 20, 1, MAX_PAGE);
      const offset = integerQuery('offset', request.query.offset, 0, 0, Number.MAX_SAFE_INTEGER);
      // one row more than asked says whether there is a next page, without a count query
      const rows = await app.runs(definition.name, { limit: limit + 1, offset });
      return { flowName: definition.name, limit, offset, hasMore: rows.length > limit, runs: rows.slice(0, limit).map(presentRunSummary) };
    },
  );

  server.get<{ Params: { flow: string; tp: string } }>('/api/flows/:flow/runs/:tp', READ, async (request) => {
    const definition = flowParam(app, request.params.flow);
    const timeperiod = timeperiodParam(request.params.tp);
    const status = await app.status(definition.name, timeperiod);
    // Why the engine of a run in progress is dead (killed mid-run: nothing will end it but `recover`), or null.
    const running = status.flow.state === FlowState.IN_PROGRESS ? await app.activeRun(definition.name, timeperiod) : null;
    return presentRunDetail(definition, status, tracker, running?.engineGone ?? null);
  });
}
