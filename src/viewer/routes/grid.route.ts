import type { FastifyInstance } from 'fastify';
import { presentGrid } from '../grid.presenter';
import { flowParam, integerQuery, timeperiodParam } from '../route-params';
import type { ViewerContext } from '../viewer-context';
import { READ } from '../route-access';

const DEFAULT_COLUMNS = 30;
const MAX_COLUMNS = 100;

/**
 * GET /api/flows/:flow/grid?limit=30&before=<timeperiod>: the flow's latest timeperiods (earlier
 * than `before`) x its steps. Two queries whatever the size: the window's flow rows, then every
 * step row of the window at once (never one query per timeperiod).
 */
export function registerGridRoute(server: FastifyInstance, { app }: ViewerContext): void {
  server.get<{ Params: { flow: string }; Querystring: { limit?: string; before?: string } }>(
    '/api/flows/:flow/grid',
    READ,
    async (request) => {
      const definition = flowParam(app, request.params.flow);
      const limit = integerQuery('limit', request.query.limit, DEFAULT_COLUMNS, 1, MAX_COLUMNS);
      const before = request.query.before ? timeperiodParam(request.query.before) : null;
      // one row more than asked says whether there is an older page
      const runs = await app.runs(definition.name, { limit: limit + 1, ...(before !== null && { before }) });
      const steps = await app.stepStates(
        definition.name,
        runs.slice(0, limit).map((run) => run.timeperiod),
      );
      return presentGrid(definition, { limit, before }, runs, steps);
    },
  );
}
