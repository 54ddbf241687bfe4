import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';

import { MAIN_SERVER } from '../config/app-config';
import { DatabaseService } from '../database/database.service';
import { snapshotVersions } from '../standard-objects/version-snapshots';
import { MAX_DEMO_RECORDS } from '../workspace/demo-seed';
import { WorkspaceCreationService } from '../workspace/workspace-creation.service';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { ServerDirectory } from '../server-directory';
import { createWorkspaceFromCli } from './workspace-create.command';
import { parsePositiveInteger } from './workspace-walk.command';

interface SeedDemoOptions extends BaseCommandOptions {
  name?: string;
  records?: number;
  version?: string;
  server?: string;
  json?: boolean;
}

const DEFAULT_RECORDS = 1_000;

@Command({
  name: 'workspace:seed:demo',
  description: 'Create a demo workspace with realistic companies, people, opportunities and views (one transaction)',
})
export class WorkspaceSeedDemoCommand extends BaseCommand<SeedDemoOptions> {
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {
    super();
  }

  @Option({ flags: '--name <name>', description: 'display name of the workspace (default "Demo")' })
  parseName(value: string): string {
    return value;
  }

  @Option({
    flags: '--records <n>',
    description: `how many records: 10% companies, 70% people, 20% opportunities (default ${DEFAULT_RECORDS}, at most ${MAX_DEMO_RECORDS})`,
  })
  parseRecords(value: string): number {
    return parsePositiveInteger(value, '--records', MAX_DEMO_RECORDS);
  }

  @Option({
    flags: '--version <version>',
    description: `create at a released version (${snapshotVersions().join(', ')}); default: current`,
  })
  parseVersion(value: string): string {
    return value;
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

  async run(_params: string[], options: SeedDemoOptions): Promise<void> {
    const started = Date.now();
    const server = await this.servers.place(options.server);
    const created = await createWorkspaceFromCli(server.get(DatabaseService), server.get(WorkspaceCreationService), 'the demo workspace', {
      displayName: options.name ?? 'Demo',
      version: options.version,
      demoRecords: options.records ?? DEFAULT_RECORDS,
    });
    const { workspace, views, records } = created;
    const durationMs = Date.now() - started;
    if (options.json) {
      this.print(JSON.stringify({ workspace, views, records, durationMs }));
      return;
    }
    this.print(
      `Created demo workspace ${workspace.id} "${workspace.displayName}" (schema ${workspace.schemaName}, version ${workspace.version}) in ${durationMs} ms`,
    );
    this.print(`${records.companies} companies, ${records.people} people, ${records.opportunities} opportunities, ${views} view(s)`);
  }
}
