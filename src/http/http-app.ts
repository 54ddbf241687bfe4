import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';

import { HttpModule } from './http.module';
import { buildOpenApiDocument } from './openapi';

/** The largest JSON body accepted (bytes); a larger one is a 413. CSV imports are streamed and have no limit. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** The HTTP application, with its OpenAPI document at /docs (JSON at /docs-json). Not yet listening. */
export const createHttpApp = async (options: { logger?: false } = {}): Promise<INestApplication> => {
  const app = await NestFactory.create<NestExpressApplication>(HttpModule, {
    logger: options.logger ?? ['error', 'warn', 'log'],
    abortOnError: false,
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.enableShutdownHooks();
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document);
  return app;
};
