import { TEMPLATE_DATABASE, withAdminClient } from './test-database';

export default async (): Promise<void> => {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`));
};
