import type { FastifyInstance } from 'fastify';
import { flowParam, integerQuery } from '../route-params';
import { presentSchedule } from '../schedule.presenter';
import type { ViewerContext } from '../viewer-context';
import { READ, WRITE } from '../route-access';

const MAX_PERIODS = 100;

/**
 * The schedule panel: GET /api/flows/:flow/schedule?limit= (the schedule, its pause, its next
 * periods from `plan`) and the pause switch, POST .../schedule/pause and .../schedule/resume, write
 * routes like the run buttons. A flow without a schedule: 404 UnscheduledFlowError. The viewer
 * plans and pauses, it never ticks: runs are started by a scheduler process (`synergy-flow scheduler`).
 */
export function registerScheduleRoutes(server: FastifyInstance, { app, scheduler }: ViewerContext): void {
  const base = '/api/flows/:flow/schedule';

  server.get<{ Params: { flow: string }; Querystring: { limit?: string } }>(base, READ, async (request) => {
    const definition = flowParam(app, request.params.flow);
    const limit = integerQuery('limit', request.query.limit, 10, 1, MAX_PERIODS);
    const [paused, plan] = await Promise.all([scheduler().isPaused(definition.name), scheduler().plan(definition.name, { limit })]);
    return presentSchedule(definition, paused, plan);
  });

  server.post<{ Params: { flow: string } }>(`${base}/pause`, WRITE, async (request) => {
    const name = flowParam(app, request.params.flow).name;
    await scheduler().pause(name);
    return { flowName: name, paused: true };
  });

  server.post<{ Params: { flow: string } }>(`${base}/resume`, WRITE, async (request) => {
    const name = flowParam(app, request.params.flow).name;
    await scheduler().resume(name);
    return { flowName: name, paused: false };
  });
}
