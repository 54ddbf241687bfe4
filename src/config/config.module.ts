import { Global, Module } from '@nestjs/common';

import { ADMIN_API_KEY, AppConfig, loadAppConfig } from './app-config';
import { FAULT_INJECTION, faultInjectionFromEnvironment } from './fault-injection';

/** The environment, validated once at start-up, and what it sets for the whole process. */
@Global()
@Module({
  providers: [
    { provide: AppConfig, useFactory: () => loadAppConfig() },
    { provide: ADMIN_API_KEY, inject: [AppConfig], useFactory: (config: AppConfig) => config.ADMIN_API_KEY },
    { provide: FAULT_INJECTION, useFactory: faultInjectionFromEnvironment },
  ],
  exports: [AppConfig, ADMIN_API_KEY, FAULT_INJECTION],
})
export class ConfigModule {}
