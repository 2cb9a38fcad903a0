import type { FastifyInstance } from 'fastify';
import type { RunOptions } from '../../engine/run-options';
import { FlowNotRunningError } from '../../errors';
import { InvalidRequestError } from '../../errors';
import { flowParam, stepParam, timeperiodParam } from '../route-params';
import { launchRun } from '../run-launcher';
import type { ViewerContext } from '../viewer-context';
import { WRITE } from '../route-access';

type RunParams = { flow: string; tp: string };
type StepParams = RunParams & { step: string };

/**
 * The run buttons. Each answers 202 once the run is under way (validated, locked, rows set up) and
 * does not wait for it to end: its progress comes over /api/events. A refused request (bad
 * timeperiod, unknown step, blocked step, run already going) is answered before anything is written.
 */
export function registerRunCommandsRoutes(server: FastifyInstance, { app }: ViewerContext): void {
  const base = '/api/flows/:flow/runs/:tp';

  server.post<{ Params: RunParams }>(`${base}/run`, WRITE, async (request, reply) => {
    const { name, timeperiod, options } = runRequest(request.params, request.body);
    reply.code(202);
    return launchRun(app.events$, { flowName: name, timeperiod, runMode: 'run' }, () => app.run(name, options));
  });

  server.post<{ Params: RunParams }>(`${base}/recover`, WRITE, async (request, reply) => {
    const { name, timeperiod, options } = runRequest(request.params, request.body);
    reply.code(202);
    return launchRun(app.events$, { flowName: name, timeperiod, runMode: 'recover' }, () => app.recover(name, options));
  });

  server.post<{ Params: StepParams }>(`${base}/steps/:step/run-one`, WRITE, async (request, reply) => {
    const { name, timeperiod, options } = runRequest(request.params, request.body);
    const step = stepParam(app.definition(name), request.params.step).name;
    reply.code(202);
    return {
      ...(await launchRun(app.events$, { flowName: name, timeperiod, runMode: 'run_one' }, () => app.runOne(name, step, options))),
      stepName: step,
    };
  });

  server.post<{ Params: StepParams }>(`${base}/steps/:step/run-from`, WRITE, async (request, reply) => {
    const { name, timeperiod, options } = runRequest(request.params, request.body);
    const step = stepParam(app.definition(name), request.params.step).name;
    reply.code(202);
    return {
      ...(await launchRun(app.events$, { flowName: name, timeperiod, runMode: 'run_from' }, () => app.runFrom(name, step, options))),
      stepName: step,
    };
  });

  server.post<{ Params: RunParams }>(`${base}/cancel`, WRITE, async (request, reply) => {
    const name = flowParam(app, request.params.flow).name;
    const timeperiod = timeperiodParam(request.params.tp);
    // Said in the canceled steps' error and the history: the default names the API, which the viewer's user never called.
    if (!app.cancel(name, timeperiod, 'cancelled from the viewer')) throw new FlowNotRunningError(name, timeperiod);
    reply.code(202);
    return { flowName: name, timeperiod, cancelled: true };
  });

  function runRequest(params: RunParams, body: unknown): { name: string; timeperiod: string; options: RunOptions } {
    const name = flowParam(app, params.flow).name;
    const timeperiod = timeperiodParam(params.tp);
    return { name, timeperiod, options: { timeperiod, ...runOptions(body), trigger: 'viewer' } };
  }
}

/** The options a button may pass: `{ clusters?, failFast? }`; anything else is refused rather than ignored. */
function runOptions(body: unknown): Pick<RunOptions, 'clusters' | 'failFast'> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new InvalidRequestError('the body must be a JSON object: {} or { "clusters": 2, "failFast": false }');
  const { clusters, failFast, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length)
    throw new InvalidRequestError(`unknown option(s) ${unknown.map((k) => `"${k}"`).join(', ')}: a run accepts "clusters" and "failFast"`);
  if (clusters !== undefined && (!Number.isInteger(clusters) || (clusters as number) < 1 || (clusters as number) > 1000)) {
    throw new InvalidRequestError(`"clusters" must be a whole number from 1 to 1000, got ${JSON.stringify(clusters)}`);
  }
  if (failFast !== undefined && typeof failFast !== 'boolean')
    throw new InvalidRequestError(`"failFast" must be true or false, got ${JSON.stringify(failFast)}`);
  return { ...(clusters !== undefined && { clusters: clusters as number }), ...(failFast !== undefined && { failFast }) };
}
