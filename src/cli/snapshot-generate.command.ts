import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';

import { DeclaredSchema } from '../declarations/declared-schema';
import { STANDARD_DECLARATIONS } from '../standard-objects/standard-declarations.module';
import { CURRENT_VERSION, serializeSnapshot, SNAPSHOT_FILE_DIRECTORY, snapshotFileName } from '../standard-objects/version-snapshots';
import { BaseCommand, BaseCommandOptions } from './base.command';

interface SnapshotGenerateOptions extends BaseCommandOptions {
  outDir?: string;
  check?: boolean;
}

@Command({
  name: 'snapshot:generate',
  description: `Write the frozen snapshot of the current version (${CURRENT_VERSION}) from the declarations`,
})
export class SnapshotGenerateCommand extends BaseCommand<SnapshotGenerateOptions> {
  constructor(@Inject(STANDARD_DECLARATIONS) private readonly declarations: DeclaredSchema) {
    super();
  }

  @Option({ flags: '--out-dir <dir>', description: `directory of the snapshot files (default: ${SNAPSHOT_FILE_DIRECTORY})` })
  parseOutDir(value: string): string {
    return value;
  }

  @Option({ flags: '--check', description: 'write nothing; fail when the committed snapshot is out of date' })
  parseCheck(): boolean {
    return true;
  }

  async run(_params: string[], options: SnapshotGenerateOptions): Promise<void> {
    const directory = options.outDir ?? SNAPSHOT_FILE_DIRECTORY;
    const file = join(directory, snapshotFileName(CURRENT_VERSION));
    const text = serializeSnapshot(this.declarations);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (options.check) {
      if (current !== text) {
        throw new Error(`${file} is out of date with the declarations. Run snapshot:generate and commit the result.`);
      }
      this.print(`${file} is up to date.`);
      return;
    }
    mkdirSync(directory, { recursive: true });
    writeFileSync(file, text);
    this.print(current === text ? `${file} unchanged.` : `Wrote ${file}.`);
  }
}
