import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The version in the package.json above this file (src/ when run from source, dist/src/ when built). */
const packageVersion = (): string => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
};

/** The OpenAPI document of the HTTP service, at the version of the package that serves it. */
export const buildOpenApiDocument = (app: INestApplication): OpenAPIObject =>
  SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('workspace-metadata-sync')
      .setDescription(
        'Workspaces, their custom objects and fields, and their records. Every endpoint needs the header ' +
          '`Authorization: Bearer` followed by a token: the admin token (ADMIN_API_KEY) creates workspaces and API keys; ' +
          'a workspace API key (`wms_…`) reaches only its workspace. ' +
          'With several database servers (DATABASE_SERVERS), the routes of a workspace run on the server that holds it; ' +
          'a server that does not answer is a 503 naming it, and a workspace found on two servers a 409.',
      )
      .setVersion(packageVersion())
      // Tokens are opaque: the admin token or a workspace key, never a JWT.
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: undefined,
        description: 'the admin token (ADMIN_API_KEY) or a workspace API key (wms_…)',
      })
      .build(),
  );
