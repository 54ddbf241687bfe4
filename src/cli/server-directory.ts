import { DynamicModule, INestApplicationContext, Inject, Injectable, Module, OnApplicationShutdown, Type } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';

import { ADMIN_API_KEY, AppConfig, DatabaseServerEntry, databaseServersOf, MAIN_SERVER } from '../config/app-config';
import { FAULT_INJECTION, FaultInjection } from '../config/fault-injection';
import { DatabaseModule } from '../database/database.module';
import { StepProgressEvents } from '../observability/step-progress';
import { ServicesModule } from '../services.module';
import { STANDARD_DECLARATIONS } from '../standard-objects/standard-declarations.module';

/** One server of the directory, with the services of the app bound to its data source. */
export interface ServerScope {
  name: string;
  /** Host, port and database, for the lines that name the server. */
  address: string;
  get<T>(token: Type<T> | symbol | string): T;
}

const addressOf = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
};

/**
 * The same services as the app's, on another server: its own configuration (DATABASE_URL is the
 * server's), data source and repositories; the declarations and fault injection of the app.
 */
@Module({})
class ServerServicesModule {
  static for(config: AppConfig, declarations: unknown, faults: FaultInjection): DynamicModule {
    return {
      module: ServerServicesModule,
      global: true,
      imports: [DatabaseModule, ServicesModule],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: ADMIN_API_KEY, useValue: config.ADMIN_API_KEY },
        { provide: FAULT_INJECTION, useValue: faults },
        { provide: STANDARD_DECLARATIONS, useValue: declarations },
      ],
      exports: [AppConfig, ADMIN_API_KEY, FAULT_INJECTION, STANDARD_DECLARATIONS],
    };
  }
}

/**
 * The database servers of DATABASE_URL and DATABASE_SERVERS, each with the app's services on its
 * data source: the main server's are the app's own; another's are built when first asked for (a
 * Nest context of their own) and closed with the app. On the embedded database: the one server.
 */
@Injectable()
export class ServerDirectory implements OnApplicationShutdown {
  private readonly contexts = new Map<string, Promise<INestApplicationContext>>();
  readonly entries: DatabaseServerEntry[];

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {
    this.entries = databaseServersOf(config);
  }

  /** More than the main server: commands then work across servers. */
  get several(): boolean {
    return this.entries.length > 1;
  }

  names(): string[] {
    return this.entries.length === 0 ? [MAIN_SERVER] : this.entries.map((entry) => entry.name);
  }

  has(name: string): boolean {
    return this.names().includes(name);
  }

  /** The scopes of every server, main first. */
  async all(): Promise<ServerScope[]> {
    return Promise.all(this.names().map((name) => this.scope(name)));
  }

  async scope(name: string): Promise<ServerScope> {
    const entry = this.entries.find((candidate) => candidate.name === name);
    if (name === MAIN_SERVER) {
      return {
        name,
        address: entry ? addressOf(entry.url) : 'embedded',
        get: (token) => this.moduleRef.get(token, { strict: false }),
      };
    }
    if (!entry) throw new Error(`No database server named ${name}: the servers are ${this.names().join(', ')}.`);
    let context = this.contexts.get(name);
    if (!context) {
      const config = Object.assign(Object.create(AppConfig.prototype) as AppConfig, this.config, {
        DATABASE_URL: entry.url,
        DATABASE_SERVERS: undefined,
      });
      context = NestFactory.createApplicationContext(
        ServerServicesModule.for(
          config,
          this.moduleRef.get(STANDARD_DECLARATIONS, { strict: false }),
          this.moduleRef.get<FaultInjection>(FAULT_INJECTION, { strict: false }),
        ),
        { logger: false, abortOnError: false },
      ).then((app) => {
        // The long steps of its workspaces show in the one progress of the command.
        const events = this.moduleRef.get(StepProgressEvents, { strict: false });
        app.get(StepProgressEvents, { strict: false }).subscribe((progress) => events.publish(progress));
        return app;
      });
      this.contexts.set(name, context);
    }
    const app = await context;
    return { name, address: addressOf(entry.url), get: (token) => app.get(token, { strict: false }) };
  }

  async onApplicationShutdown(): Promise<void> {
    const contexts = [...this.contexts.values()];
    this.contexts.clear();
    await Promise.all(contexts.map(async (context) => (await context).close()));
  }
}
