import 'reflect-metadata';

import { Logger } from 'pino';

import { loadAppConfig } from './config/app-config';
import { createHttpApp } from './http/http-app';
import { LOGGER } from './observability/logger';

/** HTTP bootstrap (`npm start`): listens on PORT; the OpenAPI document is at /docs. */
const main = async (): Promise<void> => {
  const config = loadAppConfig();
  const app = await createHttpApp();
  await app.listen(config.PORT);
  const logger = app.get<Logger>(LOGGER);
  logger.info(
    { port: config.PORT },
    `Listening on http://localhost:${config.PORT} (OpenAPI document at /docs; /healthz, /readyz and /metrics for operators)`,
  );
  if (!config.ADMIN_API_KEY) logger.warn('ADMIN_API_KEY is not set: no one can create workspaces or API keys over HTTP.');
};

main().catch((error: Error) => {
  process.stderr.write(`Error: ${error.message}\n`);
  process.exit(1);
});
