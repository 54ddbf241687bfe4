import { IncomingMessage, ServerResponse } from 'node:http';

import { ServiceMetrics } from '../observability/service-metrics';

/** A request as Express hands it on: the route it matched, once routed. */
type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/** Counts and times every request by method, route (its pattern, not its ids) and status. */
export const httpMetricsMiddleware =
  (metrics: ServiceMetrics) =>
  (request: RoutedRequest, response: ServerResponse, next: () => void): void => {
    const stop = metrics.httpDuration.startTimer();
    response.on('finish', () => {
      const route = request.route?.path ? `${request.baseUrl ?? ''}${String(request.route.path)}` : 'unmatched';
      const labels = { method: request.method, route, status: String(response.statusCode) };
      stop(labels);
      metrics.httpRequests.inc(labels);
    });
    next();
  };
