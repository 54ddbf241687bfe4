import { Command } from 'nest-commander';

import { DatabaseService } from '../database/database.service';
import { BaseCommand } from './base.command';

@Command({ name: 'database:migrate', description: 'Apply pending migrations of the core schema' })
export class DatabaseMigrateCommand extends BaseCommand {
  constructor(private readonly database: DatabaseService) {
    super();
  }

  async run(): Promise<void> {
    const applied = await this.database.migrate();
    this.print(
      applied.length === 0
        ? 'No pending migrations: the core schema is up to date.'
        : `Applied ${applied.length} migration(s): ${applied.join(', ')}`,
    );
  }
}
