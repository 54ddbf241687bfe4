import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { Logger as PinoInstance } from 'pino';

import { LOGGER } from '../observability/logger';
import { ServiceMetrics } from '../observability/service-metrics';
import { httpMetricsMiddleware } from './http-metrics.middleware';
import { HttpModule } from './http.module';
import { buildOpenApiDocument } from './openapi';

/** The largest JSON body accepted (bytes); a larger one is a 413. CSV imports are streamed and have no limit. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/**
 * The HTTP application, with its OpenAPI document at /docs (JSON at /docs-json), its logs through
 * pino (LOG_LEVEL) and /healthz, /readyz, /metrics. Not yet listening.
 */
export const createHttpApp = async (options: { logger?: false } = {}): Promise<INestApplication> => {
  const app = await NestFactory.create<NestExpressApplication>(HttpModule, { bufferLogs: true, abortOnError: false, bodyParser: false });
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  if (options.logger === false) app.get<PinoInstance>(LOGGER).level = 'silent';
  app.useLogger(app.get(Logger));
  app.use(httpMetricsMiddleware(app.get(ServiceMetrics)));
  app.get(ServiceMetrics).collectProcessMetrics();
  app.enableShutdownHooks();
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document);
  return app;
};
