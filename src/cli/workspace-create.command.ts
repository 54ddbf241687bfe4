import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';

import { MAIN_SERVER } from '../config/app-config';
import { DatabaseService } from '../database/database.service';
import { snapshotVersions } from '../standard-objects/version-snapshots';
import {
  checkCreationInput,
  CreatedWorkspace,
  CreateWorkspaceInput,
  WorkspaceCreationError,
  WorkspaceCreationService,
} from '../workspace/workspace-creation.service';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { UsageError } from './cli.error';
import { formatPlan } from './plan.format';
import { ServerDirectory } from '../server-directory';

interface WorkspaceCreateOptions extends BaseCommandOptions {
  name?: string;
  version?: string;
  featureFlag?: string[];
  prefill?: boolean;
  defaultCountry?: string;
  server?: string;
  json?: boolean;
}

/**
 * Creates a workspace as the creation commands do: an unknown --version or a name that is not one
 * is a bad argument (exit 2), refused before the database is touched; a creation the database
 * refuses fails (exit 1) having written nothing.
 */
export const createWorkspaceFromCli = async (
  database: DatabaseService,
  creation: WorkspaceCreationService,
  what: string,
  input: CreateWorkspaceInput,
): Promise<CreatedWorkspace> => {
  if (input.version !== undefined && !snapshotVersions().includes(input.version)) {
    throw new UsageError(`--version must be one of ${snapshotVersions().join(', ')}; got "${input.version.slice(0, 40)}".`);
  }
  try {
    checkCreationInput(input);
  } catch (error) {
    if (error instanceof WorkspaceCreationError) throw new UsageError(`Cannot create ${what}: ${error.message}. Nothing was written.`);
    throw error;
  }
  await database.connect();
  try {
    return await creation.create(input);
  } catch (error) {
    if (error instanceof WorkspaceCreationError) {
      throw new Error(`Cannot create ${what}: ${error.message}. Nothing was written.`, { cause: error });
    }
    throw error;
  }
};

@Command({ name: 'workspace:create', description: 'Create a workspace: schema, tables, metadata, default views, prefill records' })
export class WorkspaceCreateCommand extends BaseCommand<WorkspaceCreateOptions> {
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {
    super();
  }

  @Option({ flags: '--name <name>', description: 'display name of the workspace', required: true })
  parseName(value: string): string {
    return value;
  }

  @Option({
    flags: '--version <version>',
    description: `create at a released version (${snapshotVersions().join(', ')}); default: current`,
  })
  parseVersion(value: string): string {
    return value;
  }

  @Option({ flags: '--feature-flag <flag>', description: 'enable a feature flag (repeatable)' })
  parseFeatureFlag(value: string, previous: string[] = []): string[] {
    return [...previous, value];
  }

  @Option({
    flags: '--default-country <code>',
    description: 'ISO 3166-1 alpha-2 country of phone numbers written without an international prefix (FR); default none',
  })
  parseDefaultCountry(value: string): string {
    return value;
  }

  @Option({ flags: '--no-prefill', description: 'create no prefill records' })
  parseNoPrefill(): boolean {
    return false;
  }

  @Option({
    flags: '--server <name>',
    description: `the database server to create it on (${MAIN_SERVER}, or a name of DATABASE_SERVERS); default: the one with the fewest workspaces`,
  })
  parseServer(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print one JSON document' })
  parseJson(): boolean {
    return true;
  }

  async run(_params: string[], options: WorkspaceCreateOptions): Promise<void> {
    const started = Date.now();
    const server = await this.servers.place(options.server);
    const created = await createWorkspaceFromCli(server.get(DatabaseService), server.get(WorkspaceCreationService), 'the workspace', {
      displayName: options.name ?? '',
      version: options.version,
      featureFlags: options.featureFlag,
      prefill: options.prefill,
      defaultCountry: options.defaultCountry,
    });
    const { workspace, plan, views, records } = created;
    if (options.json) {
      this.print(
        JSON.stringify({
          workspace,
          ...(this.servers.several ? { server: server.name } : {}),
          actions: plan.actions.length,
          views,
          records,
          durationMs: Date.now() - started,
        }),
      );
      return;
    }
    const on = this.servers.several ? ` on server ${server.name}` : '';
    this.print(
      `Created workspace ${workspace.id} "${workspace.displayName}" (schema ${workspace.schemaName}, version ${workspace.version})${on} in ${Date.now() - started} ms`,
    );
    if (options.verbose) formatPlan(plan, false).forEach((line) => this.print(line));
    this.print(
      `${plan.actions.length} action(s), ${views} default view(s), ${records.companies} companies, ${records.people} people and ${records.opportunities} opportunities`,
    );
  }
}
