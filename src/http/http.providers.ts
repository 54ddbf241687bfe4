import { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ApiKeyService } from '../auth/api-key.service';
import { AppConfig } from '../config/app-config';
import { DatabaseService } from '../database/database.service';
import { DeclaredSchema } from '../declarations/declared-schema';
import { RecordCsvService } from '../records/record-csv.service';
import { RecordService } from '../records/record.service';
import { STANDARD_DECLARATIONS } from '../standard-objects/standard-declarations.module';
import { CustomMetadataService } from '../custom-metadata/custom-metadata.service';
import { WorkspaceCreationService } from '../workspace/workspace-creation.service';

/** The pool the HTTP service uses; connecting checks that core migrations are applied. */
export const HTTP_DATA_SOURCE = Symbol('HTTP_DATA_SOURCE');
const HTTP_POOL_SIZE = 10;

export const HTTP_PROVIDERS: Provider[] = [
  { provide: HTTP_DATA_SOURCE, inject: [DatabaseService], useFactory: (database: DatabaseService) => database.connect({ poolSize: HTTP_POOL_SIZE }) },
  { provide: ApiKeyService, inject: [HTTP_DATA_SOURCE, AppConfig], useFactory: (dataSource: DataSource, config: AppConfig) => new ApiKeyService(dataSource, config.ADMIN_API_KEY) },
  {
    provide: WorkspaceCreationService,
    inject: [HTTP_DATA_SOURCE, STANDARD_DECLARATIONS],
    useFactory: (dataSource: DataSource, declared: DeclaredSchema) => new WorkspaceCreationService(dataSource, declared),
  },
  {
    provide: CustomMetadataService,
    inject: [HTTP_DATA_SOURCE, STANDARD_DECLARATIONS],
    useFactory: (dataSource: DataSource, declared: DeclaredSchema) => new CustomMetadataService(dataSource, declared),
  },
  { provide: RecordService, inject: [HTTP_DATA_SOURCE], useFactory: (dataSource: DataSource) => new RecordService(dataSource) },
  { provide: RecordCsvService, inject: [HTTP_DATA_SOURCE], useFactory: (dataSource: DataSource) => new RecordCsvService(dataSource) },
];
