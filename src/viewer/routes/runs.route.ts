import type { FastifyInstance } from 'fastify';
import type { FlowRecord } from '../../domain/flow-record';
import { FlowState } from '../../domain/states';
import type { FlowApplication } from '../../flow-application.port';
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
    return presentRunDetail(
      definition,
      status,
      tracker,
      status.flow.state === FlowState.IN_PROGRESS ? await engineGone(app, status.flow) : null,
    );
  });
}

/** Why the engine of a run in progress is dead (killed mid-run: nothing will end it but `recover`), or null. */
async function engineGone(app: FlowApplication, flow: Pick<FlowRecord, 'flowName' | 'timeperiod'>): Promise<string | null> {
  const running = await app.activeRuns();
  return running.find((r) => r.flowName === flow.flowName && r.timeperiod === flow.timeperiod)?.engineGone ?? null;
}
