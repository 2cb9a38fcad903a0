import type { FastifyInstance } from 'fastify';
import { PROMETHEUS_CONTENT_TYPE } from '../../telemetry/prometheus-text';
import type { RunMetricsCollector } from '../../telemetry/run-metrics.collector';
import { READ } from '../route-access';

/** GET /metrics (with `serve({ metrics: true })`): Prometheus text, behind the token unless publicRead. */
export function registerMetricsRoute(server: FastifyInstance, collector: RunMetricsCollector): void {
  server.get('/metrics', READ, async (_request, reply) =>
    reply.type(PROMETHEUS_CONTENT_TYPE).header('cache-control', 'no-store').send(collector.toPrometheus()),
  );
}
