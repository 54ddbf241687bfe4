import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';

import { DatabaseService } from '../database/database.service';
import { WorkspaceRepository } from '../metadata/workspace.repository';
import { BaseCommand, BaseCommandOptions } from './base.command';

interface WorkspaceListOptions extends BaseCommandOptions {
  json?: boolean;
}

const PAGE_SIZE = 500;

@Command({ name: 'workspace:list', description: 'List workspaces with their schema, status and version' })
export class WorkspaceListCommand extends BaseCommand<WorkspaceListOptions> {
  constructor(
    @Inject(DatabaseService) private readonly database: DatabaseService,
    @Inject(WorkspaceRepository) private readonly workspaces: WorkspaceRepository,
  ) {
    super();
  }

  @Option({ flags: '--json', description: 'print one JSON document' })
  parseJson(): boolean {
    return true;
  }

  async run(_params: string[], options: WorkspaceListOptions): Promise<void> {
    await this.database.connect();
    const rows = [];
    let count = 0;
    for (
      let page = await this.workspaces.page(null, PAGE_SIZE);
      page.length > 0;
      page = await this.workspaces.page(page[page.length - 1].id, PAGE_SIZE)
    ) {
      count += page.length;
      if (options.json) {
        rows.push(...page.map(({ fingerprint: _fingerprint, ...row }) => row));
      } else {
        for (const row of page) {
          this.print(`${row.id}  ${row.schemaName}  ${row.activationStatus}  ${row.version ?? '-'}  ${row.displayName}`);
        }
      }
    }
    if (options.json) {
      this.print(JSON.stringify({ workspaces: rows }));
    } else {
      this.print(`${count} workspace(s)`);
    }
  }
}
