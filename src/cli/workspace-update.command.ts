import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';

import { WorkspaceRepository } from '../metadata/workspace.repository';
import { normalizeDefaultCountry } from '../workspace/default-country';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { UsageError } from './cli.error';
import { ServerDirectory } from '../server-directory';

interface WorkspaceUpdateOptions extends BaseCommandOptions {
  workspaceId?: string;
  defaultCountry?: string;
  json?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Command({ name: 'workspace:update', description: "Change a workspace's settings (its default country)" })
export class WorkspaceUpdateCommand extends BaseCommand<WorkspaceUpdateOptions> {
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {
    super();
  }

  @Option({ flags: '-w, --workspace-id <id>', description: 'the workspace to change', required: true })
  parseWorkspaceId(value: string): string {
    return value;
  }

  @Option({
    flags: '--default-country <code>',
    description: 'ISO 3166-1 alpha-2 country of phone numbers written without an international prefix (FR), or "none"',
  })
  parseDefaultCountry(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print one JSON document' })
  parseJson(): boolean {
    return true;
  }

  async run(_params: string[], options: WorkspaceUpdateOptions): Promise<void> {
    if (!options.workspaceId || !UUID.test(options.workspaceId)) {
      throw new UsageError(`-w, --workspace-id must be a workspace id (a UUID); got "${String(options.workspaceId).slice(0, 40)}".`);
    }
    if (options.defaultCountry === undefined) {
      throw new UsageError('Nothing to change: give --default-country <code> (such as FR) or --default-country none.');
    }
    let country: string | null = null;
    if (options.defaultCountry.trim().toLowerCase() !== 'none') {
      const normalized = normalizeDefaultCountry(options.defaultCountry);
      if ('problem' in normalized) throw new UsageError(`--default-country: ${normalized.problem}, or none. Nothing was written.`);
      country = normalized.country;
    }
    const server = await this.servers.holding(options.workspaceId);
    const updated = await server.get(WorkspaceRepository).setDefaultCountry(options.workspaceId, country);
    if (!updated) throw new Error(`workspace ${options.workspaceId} does not exist; nothing was written`);
    if (options.json) {
      this.print(JSON.stringify({ workspace: { id: updated.id, defaultCountry: updated.defaultCountry } }));
      return;
    }
    this.print(`Workspace ${updated.id}: default country ${updated.defaultCountry ?? 'none'}`);
  }
}
