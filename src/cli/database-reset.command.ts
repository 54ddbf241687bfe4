import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';

import { DatabaseService } from '../database/database.service';
import { ServerDirectory } from '../server-directory';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { EXIT_FAILURE } from './cli.error';

interface DatabaseResetOptions extends BaseCommandOptions {
  yes?: boolean;
  server?: string;
}

@Command({
  name: 'database:reset',
  description:
    'Drop every workspace and all metadata, then migrate again (needs --yes), on every database server or the one named by --server',
})
export class DatabaseResetCommand extends BaseCommand<DatabaseResetOptions> {
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {
    super();
  }

  @Option({ flags: '--yes', description: 'confirm that every workspace and its data is to be deleted' })
  parseYes(): boolean {
    return true;
  }

  @Option({
    flags: '--server <name>',
    description: 'reset this database server only (main, or a name of DATABASE_SERVERS); default: every server',
  })
  parseServer(value: string): string {
    return value;
  }

  /**
   * With several servers, each in turn, its lines named after it: one that does not answer is
   * reported and the others are reset (exit 1).
   */
  async run(_params: string[], options: DatabaseResetOptions): Promise<void> {
    if (!options.yes) {
      throw new Error('database:reset deletes every workspace and all its data. Pass --yes to confirm.');
    }
    if (options.server !== undefined) this.servers.assertKnown(options.server, '--server', 'Nothing was reset.');
    const several = this.servers.several;
    for (const server of await this.servers.all()) {
      if (options.server !== undefined && server.name !== options.server) continue;
      const named = (line: string) => (several ? `${server.name}: ${line}` : line);
      try {
        const { droppedSchemas, migrations } = await server.get(DatabaseService).reset();
        this.print(named(`Dropped ${droppedSchemas.length} schema(s)${droppedSchemas.length ? `: ${droppedSchemas.join(', ')}` : ''}.`));
        this.print(named(`Applied ${migrations.length} migration(s): ${migrations.join(', ')}`));
      } catch (error) {
        if (!several) throw error;
        this.print(named(`✖ ${(error as Error).message} Run the command again once it answers.`));
        process.exitCode = EXIT_FAILURE;
      }
    }
  }
}
