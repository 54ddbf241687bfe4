import { DataSource } from 'typeorm';

import { MIGRATIONS_TABLE } from '../../src/database/database.service';
import { CORE_MIGRATIONS } from '../../src/database/migrations';

/** A TypeORM data source on a test database, as the service opens it. Destroy it in afterAll. */
export const openDataSource = async (url: string, poolSize = 4): Promise<DataSource> =>
  new DataSource({
    type: 'postgres',
    url,
    migrations: CORE_MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    logging: false,
    extra: { max: poolSize },
  }).initialize();
