import { Inject } from '@nestjs/common';
import { Command } from 'nest-commander';

import { DatabaseService } from '../database/database.service';
import { BaseCommand } from './base.command';
import { EXIT_FAILURE } from './cli.error';
import { ServerDirectory } from '../server-directory';

const describeApplied = (applied: string[]): string =>
  applied.length === 0
    ? 'No pending migrations: the core schema is up to date.'
    : `Applied ${applied.length} migration(s): ${applied.join(', ')}`;

@Command({ name: 'database:migrate', description: 'Apply pending migrations of the core schema (on every database server)' })
export class DatabaseMigrateCommand extends BaseCommand {
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {
    super();
  }

  async run(): Promise<void> {
    if (!this.servers.several) {
      const [main] = await this.servers.all();
      this.print(describeApplied(await main.get(DatabaseService).migrate()));
      return;
    }
    // Each server on its own: one that fails (unreachable) does not keep the others from migrating.
    for (const server of await this.servers.all()) {
      try {
        this.print(`${server.name}: ${describeApplied(await server.get(DatabaseService).migrate())}`);
      } catch (error) {
        this.print(`${server.name}: ✖ ${(error as Error).message}`);
        process.exitCode = EXIT_FAILURE;
      }
    }
  }
}
