import { Command, Option } from 'nest-commander';

import { DatabaseService } from '../database/database.service';
import { BaseCommand, BaseCommandOptions } from './base.command';

interface DatabaseResetOptions extends BaseCommandOptions {
  yes?: boolean;
}

@Command({
  name: 'database:reset',
  description: 'Drop every workspace and all metadata, then migrate again (needs --yes)',
})
export class DatabaseResetCommand extends BaseCommand<DatabaseResetOptions> {
  constructor(private readonly database: DatabaseService) {
    super();
  }

  @Option({ flags: '--yes', description: 'confirm that every workspace and its data is to be deleted' })
  parseYes(): boolean {
    return true;
  }

  async run(_params: string[], options: DatabaseResetOptions): Promise<void> {
    if (!options.yes) {
      throw new Error('database:reset deletes every workspace and all its data. Pass --yes to confirm.');
    }
    const { droppedSchemas, migrations } = await this.database.reset();
    this.print(`Dropped ${droppedSchemas.length} schema(s)${droppedSchemas.length ? `: ${droppedSchemas.join(', ')}` : ''}.`);
    this.print(`Applied ${migrations.length} migration(s): ${migrations.join(', ')}`);
  }
}
