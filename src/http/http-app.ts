import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { Logger as PinoInstance } from 'pino';

import { LOGGER } from '../observability/logger';
import { ServiceMetrics } from '../observability/service-metrics';
import { httpMetricsMiddleware } from './http-metrics.middleware';
import { HttpModule } from './http.module';

/**
 * The HTTP application, with its OpenAPI document at /docs (JSON at /docs-json), its logs through
 * pino (LOG_LEVEL) and /healthz, /readyz, /metrics. Not yet listening.
 */
export const createHttpApp = async (options: { logger?: false } = {}): Promise<INestApplication> => {
  const app = await NestFactory.create<NestExpressApplication>(HttpModule, { bufferLogs: true, abortOnError: false });
  if (options.logger === false) app.get<PinoInstance>(LOGGER).level = 'silent';
  app.useLogger(app.get(Logger));
  app.use(httpMetricsMiddleware(app.get(ServiceMetrics)));
  app.get(ServiceMetrics).collectProcessMetrics();
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('workspace-metadata-sync')
      .setDescription(
        'Workspaces, their custom objects and fields, and their records. Every endpoint needs "Authorization: Bearer <token>": ' +
          'the admin token (ADMIN_API_KEY) creates workspaces and API keys; a workspace API key reaches only its workspace.',
      )
      .setVersion('0.23')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  return app;
};
