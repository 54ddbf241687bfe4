import 'reflect-metadata';

import { loadAppConfig } from './config/app-config';
import { createHttpApp } from './http/http-app';

/** HTTP bootstrap (`npm start`): listens on PORT; the OpenAPI document is at /docs. */
const main = async (): Promise<void> => {
  const config = loadAppConfig();
  const app = await createHttpApp();
  await app.listen(config.PORT);
  process.stderr.write(`Listening on http://localhost:${config.PORT} (OpenAPI document at /docs)\n`);
  if (!config.ADMIN_API_KEY) process.stderr.write('ADMIN_API_KEY is not set: no one can create workspaces or API keys over HTTP.\n');
};

main().catch((error: Error) => {
  process.stderr.write(`Error: ${error.message}\n`);
  process.exit(1);
});
