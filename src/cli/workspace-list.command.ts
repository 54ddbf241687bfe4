import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';

import { DatabaseService } from '../database/database.service';
import { WorkspaceRepository } from '../metadata/workspace.repository';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { EXIT_FAILURE } from './cli.error';
import { ServerDirectory, ServerScope } from '../server-directory';

interface WorkspaceListOptions extends BaseCommandOptions {
  json?: boolean;
}

const PAGE_SIZE = 500;

@Command({ name: 'workspace:list', description: 'List workspaces with their schema, status and version' })
export class WorkspaceListCommand extends BaseCommand<WorkspaceListOptions> {
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {
    super();
  }

  @Option({ flags: '--json', description: 'print one JSON document' })
  parseJson(): boolean {
    return true;
  }

  /**
   * Every server's workspaces, server after server in directory order. With several servers each
   * line ends with its server, and a server that does not answer is one line (exit 1) while the
   * others are listed.
   */
  async run(_params: string[], options: WorkspaceListOptions): Promise<void> {
    const several = this.servers.several;
    const rows: Array<Record<string, unknown>> = [];
    const unreachable: Array<{ server: string; error: string }> = [];
    let count = 0;
    for (const server of await this.servers.all()) {
      try {
        count += await this.list(server, options, several, rows);
      } catch (error) {
        if (!several) throw error;
        unreachable.push({ server: server.name, error: (error as Error).message });
        process.stderr.write(`✖ server ${server.name} (${server.address}): ${(error as Error).message}\n`);
        process.exitCode = EXIT_FAILURE;
      }
    }
    if (options.json) {
      this.print(JSON.stringify(several ? { workspaces: rows, unreachable } : { workspaces: rows }));
    } else {
      this.print(`${count} workspace(s)${unreachable.length > 0 ? `; ${unreachable.length} server(s) did not answer` : ''}`);
    }
  }

  private async list(
    server: ServerScope,
    options: WorkspaceListOptions,
    several: boolean,
    rows: Array<Record<string, unknown>>,
  ): Promise<number> {
    await server.get(DatabaseService).connect();
    const workspaces = server.get(WorkspaceRepository);
    let count = 0;
    for (
      let page = await workspaces.page(null, PAGE_SIZE);
      page.length > 0;
      page = await workspaces.page(page[page.length - 1].id, PAGE_SIZE)
    ) {
      count += page.length;
      if (options.json) {
        rows.push(...page.map(({ fingerprint: _fingerprint, ...row }) => (several ? { ...row, server: server.name } : row)));
      } else {
        for (const row of page) {
          const on = several ? `  ${server.name}` : '';
          this.print(`${row.id}  ${row.schemaName}  ${row.activationStatus}  ${row.version ?? '-'}  ${row.displayName}${on}`);
        }
      }
    }
    return count;
  }
}
