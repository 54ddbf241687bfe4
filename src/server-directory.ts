import { DynamicModule, INestApplicationContext, Inject, Injectable, Module, OnApplicationShutdown, Type } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';

import { ADMIN_API_KEY, AppConfig, DatabaseServerEntry, databaseServersOf, MAIN_SERVER } from './config/app-config';
import { FAULT_INJECTION, FaultInjection } from './config/fault-injection';
import { isConnectionLoss } from './database/connection-loss';
import { DatabaseError } from './database/database.error';
import { DatabaseModule } from './database/database.module';
import { DatabaseService } from './database/database.service';
import { WorkspaceRepository } from './metadata/workspace.repository';
import { StepProgressEvents } from './observability/step-progress';
import { ServicesModule } from './services.module';
import { UUID_PATTERN } from './declarations/identifier.rules';
import { STANDARD_DECLARATIONS } from './standard-objects/standard-declarations.module';
import { pickServer, ServerLoad } from './workspace/server-placement';

/**
 * What the directory cannot do: a server name it does not know (a usage error of the CLI, a 400 of
 * the API), a workspace on several servers (409), a server that does not answer (503).
 */
export class ServerDirectoryError extends Error {
  constructor(
    readonly code: 'UNKNOWN_SERVER' | 'ON_SEVERAL_SERVERS' | 'UNREACHABLE',
    message: string,
  ) {
    super(message);
    this.name = 'ServerDirectoryError';
  }
}

/** `promise`, or an error saying `late` once `ms` have passed without it settling (it goes on, unwaited). */
const withDeadline = <T>(promise: Promise<T>, ms: number, late: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(late)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
};

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

/** What every server answered, and which did not answer. */
export interface ServerAnswers<T> {
  answers: Array<{ server: ServerScope; value: T }>;
  unreachable: Array<{ server: string; address: string; error: string }>;
}

const withoutStop = (message: string): string => message.replace(/\.+$/, '');

/**
 * The database servers of DATABASE_URL and DATABASE_SERVERS, each with the app's services on its
 * data source: the main server's are the app's own; another's are built when first asked for (a
 * Nest context of their own) and closed with the app. On the embedded database: the one server.
 */
@Injectable()
export class ServerDirectory implements OnApplicationShutdown {
  private readonly contexts = new Map<string, Promise<INestApplicationContext>>();
  /** Where the workspaces located so far are: a process serving requests looks each one up once. */
  private readonly located = new Map<string, string>();
  private readonly connected = new Set<string>();
  readonly entries: DatabaseServerEntry[];
  /**
   * How long `everyServer` waits for one server's answer, with several servers: one that stops
   * answering without refusing connections (a network that drops its packets) is reported as not
   * answering, and the others' answers are not held back by it.
   */
  answerTimeoutMs = 10_000;
  /** Connections of each server's pool when the directory connects it (the HTTP app takes more). */
  poolSize = 1;
  /** Where the line that names a server being connected goes (the HTTP app: its log). */
  announce: ((line: string) => void) | undefined;

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

  /** Refuses a name that is not a server's, naming the servers (`option`: where the name came from). */
  assertKnown(name: string, option: string, outcome = ''): void {
    if (this.has(name)) return;
    throw new ServerDirectoryError(
      'UNKNOWN_SERVER',
      `${option} must name a database server (${this.names().join(', ')}); got "${name.slice(0, 40)}".${outcome ? ` ${outcome}` : ''}`,
    );
  }

  /** The URL of a server's database (null: the embedded one), which names its queue. */
  urlOf(name: string): string | null {
    return this.entries.find((entry) => entry.name === name)?.url ?? (name === MAIN_SERVER ? (this.config.DATABASE_URL ?? null) : null);
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
   * Connects a server with the directory's pool size, checking its migrations, once: a server
   * lost later is reconnected by its pool, and the work that finds it gone says so.
   */
  async connect(server: ServerScope): Promise<void> {
    if (this.connected.has(server.name)) return;
    await server.get(DatabaseService).connect({ poolSize: this.poolSize, announce: this.announce });
    this.connected.add(server.name);
  }

  /**
   * The server that holds a workspace, connected. With one server, or when no server holds it,
   * the main one (whose command then says it does not exist). Throws when it is on several, or
   * not on any that answers while one does not: nothing can be written safely then.
   */
  async holding(workspaceId: string): Promise<ServerScope> {
    const servers = await this.all();
    if (servers.length === 1) {
      await this.connect(servers[0]);
      return servers[0];
    }
    return (await this.lookUp(servers, workspaceId)) ?? servers[0];
  }

  /**
   * As `holding`, remembered: a workspace found on a server is looked up there from then on (a
   * workspace lives where its rows are, and no command moves it); one found nowhere is looked up
   * again next time, so a workspace created since is found. With one server: the main one, as it is.
   */
  async locate(workspaceId: string): Promise<ServerScope> {
    if (!this.several) return this.scope(MAIN_SERVER);
    const known = this.located.get(workspaceId.toLowerCase());
    if (known) return this.scope(known);
    const servers = await this.all();
    const found = await this.lookUp(servers, workspaceId);
    if (!found) return servers[0];
    this.remember(workspaceId, found.name);
    return found;
  }

  /** Notes where a workspace is (one just created there). */
  remember(workspaceId: string, server: string): void {
    if (this.several) this.located.set(workspaceId.toLowerCase(), server);
  }

  /**
   * `work` on the server that holds the workspace. With several servers, one that does not answer
   * (or is lost during the work, whose transaction the server then rolls back) is said by name.
   */
  async onServerOf<T>(workspaceId: string, work: (server: ServerScope) => Promise<T>): Promise<T> {
    const server = await this.locate(workspaceId);
    return this.answering(server, () => work(server));
  }

  /** `work` on one server; with several servers, its not answering is a ServerDirectoryError naming it. */
  async answering<T>(server: ServerScope, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const silent = isConnectionLoss(error) || (error instanceof DatabaseError && error.code === 'CONNECTION_FAILED');
      if (!this.several || !silent) throw error;
      throw new ServerDirectoryError(
        'UNREACHABLE',
        `database server ${server.name} (${server.address}) does not answer: ${withoutStop((error as Error).message)}. Nothing was written; try again once it answers.`,
      );
    }
  }

  /**
   * `work` on every server at once, each connected first. With several servers, one that does not
   * answer is listed apart while the others answer; with one, its error is thrown, as before.
   */
  async everyServer<T>(work: (server: ServerScope) => Promise<T>): Promise<ServerAnswers<T>> {
    const servers = await this.all();
    const settled = await Promise.allSettled(
      servers.map((server) => {
        const answer = async () => {
          await this.connect(server);
          return work(server);
        };
        return this.several ? withDeadline(answer(), this.answerTimeoutMs, `did not answer within ${this.answerTimeoutMs} ms`) : answer();
      }),
    );
    const result: ServerAnswers<T> = { answers: [], unreachable: [] };
    settled.forEach((outcome, index) => {
      const server = servers[index];
      if (outcome.status === 'fulfilled') {
        result.answers.push({ server, value: outcome.value });
        return;
      }
      if (!this.several) throw outcome.reason;
      result.unreachable.push({ server: server.name, address: server.address, error: (outcome.reason as Error).message });
    });
    return result;
  }

  /**
   * Where a new workspace goes: the server named (an unknown name is refused, naming `option`), or
   * the reachable one with the fewest workspaces (a server that does not answer is left out, with
   * a line through `note`). Throws when none answers.
   */
  async place(
    named: string | undefined,
    option = '--server',
    note: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ): Promise<ServerScope> {
    if (named !== undefined) {
      this.assertKnown(named, option, 'Nothing was written.');
      return this.scope(named);
    }
    const servers = await this.all();
    if (servers.length === 1) return servers[0];
    const loads: ServerLoad[] = [];
    for (const server of servers) {
      try {
        await this.connect(server);
        loads.push({ name: server.name, workspaces: await server.get(WorkspaceRepository).count(null) });
      } catch (error) {
        note(`Server ${server.name} (${server.address}) left out of the placement: ${(error as Error).message}`);
      }
    }
    const name = pickServer(loads);
    if (name === null) {
      throw new ServerDirectoryError('UNREACHABLE', 'Cannot create the workspace: no database server answers. Nothing was written.');
    }
    return servers.find((server) => server.name === name)!;
  }

  async onApplicationShutdown(): Promise<void> {
    const contexts = [...this.contexts.values()];
    this.contexts.clear();
    await Promise.all(contexts.map(async (context) => (await context).close()));
  }

  /** The one server among `servers` that holds the workspace, or null when none does (every server answering). */
  private async lookUp(servers: ServerScope[], workspaceId: string): Promise<ServerScope | null> {
    if (!UUID_PATTERN.test(workspaceId)) return null;
    const found: ServerScope[] = [];
    const silent: string[] = [];
    for (const server of servers) {
      try {
        await this.connect(server);
        if (await server.get(WorkspaceRepository).findById(workspaceId)) found.push(server);
      } catch (error) {
        silent.push(`${server.name} (${withoutStop((error as Error).message)})`);
      }
    }
    if (found.length > 1) {
      throw new ServerDirectoryError(
        'ON_SEVERAL_SERVERS',
        `workspace ${workspaceId} is on several servers (${found.map((server) => server.name).join(', ')}); keep it on one. Nothing was written.`,
      );
    }
    if (found.length === 0 && silent.length > 0) {
      throw new ServerDirectoryError(
        'UNREACHABLE',
        `workspace ${workspaceId} is on none of the servers that answer; did not answer: ${silent.join('; ')}. Nothing was written.`,
      );
    }
    return found[0] ?? null;
  }
}
