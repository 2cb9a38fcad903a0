import type { FastifyInstance } from 'fastify';
import { presentFlow } from '../flow.presenter';
import { flowParam } from '../route-params';
import { presentRunSummary } from '../run.presenter';
import type { ViewerContext } from '../viewer-context';
import { READ } from '../route-access';

/** GET /api/flows (each flow with its latest run) and GET /api/flows/:flow (definition + graph). */
export function registerFlowsRoutes(server: FastifyInstance, { app }: ViewerContext): void {
  server.get('/api/flows', READ, async () => {
    const flows = await Promise.all(
      app.flows().map(async (name) => {
        const definition = app.definition(name);
        const [latest] = await app.runs(name, { limit: 1 });
        return {
          name,
          description: definition.description ?? null,
          stepCount: definition.steps.size,
          latestRun: latest ? presentRunSummary(latest) : null,
        };
      }),
    );
    return { flows };
  });

  server.get<{ Params: { flow: string } }>('/api/flows/:flow', READ, async (request) => presentFlow(flowParam(app, request.params.flow)));
}
