import { DynamicModule, INestApplicationContext, Inject, Injectable, Module, OnApplicationShutdown, Type } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';

import { ADMIN_API_KEY, AppConfig, DatabaseServerEntry, databaseServersOf, MAIN_SERVER } from '../config/app-config';
import { FAULT_INJECTION, FaultInjection } from '../config/fault-injection';
import { DatabaseModule } from '../database/database.module';
import { DatabaseService } from '../database/database.service';
import { WorkspaceRepository } from '../metadata/workspace.repository';
import { StepProgressEvents } from '../observability/step-progress';
import { ServicesModule } from '../services.module';
import { STANDARD_DECLARATIONS } from '../standard-objects/standard-declarations.module';
import { pickServer, ServerLoad } from '../workspace/server-placement';
import { UsageError } from './cli.error';

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

  /**
   * The server that holds a workspace, connected. With one server, or when no server holds it,
   * the main one (whose command then says it does not exist). Throws when it is on several, or
   * not on any that answers while one does not: nothing can be written safely then.
   */
  async holding(workspaceId: string): Promise<ServerScope> {
    const servers = await this.all();
    if (servers.length === 1) {
      await servers[0].get(DatabaseService).connect();
      return servers[0];
    }
    const found: ServerScope[] = [];
    const silent: string[] = [];
    for (const server of servers) {
      try {
        await server.get(DatabaseService).connect();
        if (await server.get(WorkspaceRepository).findById(workspaceId)) found.push(server);
      } catch (error) {
        silent.push(`${server.name} (${(error as Error).message.replace(/\.+$/, '')})`);
      }
    }
    if (found.length > 1) {
      throw new Error(
        `workspace ${workspaceId} is on several servers (${found.map((server) => server.name).join(', ')}); keep it on one. Nothing was written.`,
      );
    }
    if (found.length === 0 && silent.length > 0) {
      throw new Error(
        `workspace ${workspaceId} is on none of the servers that answer; did not answer: ${silent.join('; ')}. Nothing was written.`,
      );
    }
    return found[0] ?? servers[0];
  }

  /**
   * Where a new workspace goes: the server named (an unknown name is a usage error), or the reachable one with the fewest workspaces
   * (a server that does not answer is left out, with a line saying so). Throws when none answers.
   */
  async place(named: string | undefined): Promise<ServerScope> {
    if (named !== undefined && !this.has(named)) {
      throw new UsageError(
        `--server must name a database server (${this.names().join(', ')}); got "${named.slice(0, 40)}". Nothing was written.`,
      );
    }
    if (named !== undefined) return this.scope(named);
    const servers = await this.all();
    if (servers.length === 1) return servers[0];
    const loads: ServerLoad[] = [];
    for (const server of servers) {
      try {
        await server.get(DatabaseService).connect();
        loads.push({ name: server.name, workspaces: await server.get(WorkspaceRepository).count(null) });
      } catch (error) {
        process.stderr.write(`Server ${server.name} (${server.address}) left out of the placement: ${(error as Error).message}\n`);
      }
    }
    const name = pickServer(loads);
    if (name === null) throw new Error('Cannot create the workspace: no database server answers. Nothing was written.');
    return servers.find((server) => server.name === name)!;
  }

  async onApplicationShutdown(): Promise<void> {
    const contexts = [...this.contexts.values()];
    this.contexts.clear();
    await Promise.all(contexts.map(async (context) => (await context).close()));
  }
}
