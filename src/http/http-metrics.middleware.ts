import { NextFunction, Request, Response } from 'express';

import { ServiceMetrics } from '../observability/service-metrics';

/** Counts and times every request by method, route (its pattern, not its ids) and status. */
export const httpMetricsMiddleware =
  (metrics: ServiceMetrics) =>
  (request: Request, response: Response, next: NextFunction): void => {
    const stop = metrics.httpDuration.startTimer();
    response.on('finish', () => {
      const route = request.route?.path ? `${request.baseUrl}${String(request.route.path)}` : 'unmatched';
      const labels = { method: request.method, route, status: String(response.statusCode) };
      stop(labels);
      metrics.httpRequests.inc(labels);
    });
    next();
  };
