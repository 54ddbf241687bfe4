import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { Writable } from 'node:stream';

import { Inject } from '@nestjs/common';
import { InvalidArgumentError } from 'commander';
import { Command, Option } from 'nest-commander';

import { UUID_PATTERN } from '../declarations/identifier.rules';
import { ContactCreationService } from '../records/contact-creation.service';
import { decoderFor } from '../records/csv-decoding';
import { CsvImportError, RecordCsvService } from '../records/record-csv.service';
import { RecordError } from '../records/record.error';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { ServerDirectory } from '../server-directory';

const parseWorkspaceId = (value: string): string => {
  if (!UUID_PATTERN.test(value))
    throw new InvalidArgumentError(`--workspace-id takes a workspace id (a UUID); got "${value.slice(0, 80)}".`);
  return value.toLowerCase();
};

/** A file that is not there is refused work (exit 1), like an unknown workspace: the argument itself parsed. */
const existingFile = (path: string): string => {
  if (!existsSync(path)) throw new Error(`--file: no file at ${path}. Nothing was written.`);
  return path;
};

/** A refused request (an unknown workspace or object, bad rows: each listed) fails with exit 1, nothing written. */
const reported = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CsvImportError) {
      error.errors.forEach((problem) => process.stderr.write(`line ${problem.line}: ${problem.message}\n`));
      const listed = error.total > error.errors.length ? ` (the first ${error.errors.length} are listed)` : '';
      throw new Error(
        `${error.total} bad row(s)${listed}; nothing was imported. Fix them, or rerun with --skip-invalid to import the other rows.`,
        { cause: error },
      );
    }
    if (error instanceof RecordError) throw new Error(`${error.message}. Nothing was written.`, { cause: error });
    throw error;
  }
};

interface RecordsCommandOptions extends BaseCommandOptions {
  workspaceId?: string;
  object?: string;
  file?: string;
  skipInvalid?: boolean;
  json?: boolean;
  formulaEscape?: boolean;
  encoding?: string;
}

abstract class RecordsCommand extends BaseCommand<RecordsCommandOptions> {
  @Option({ flags: '-w, --workspace-id <id>', description: 'the workspace', required: true })
  parseWorkspaceId(value: string): string {
    return parseWorkspaceId(value);
  }

  @Option({ flags: '--json', description: 'print one JSON document' })
  parseJson(): boolean {
    return true;
  }
}

@Command({ name: 'records:export', description: "Export an object's records as CSV (streamed; one column per composite subfield)" })
export class RecordsExportCommand extends RecordsCommand {
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {
    super();
  }

  @Option({ flags: '--object <name>', description: 'nameSingular or namePlural of the object', required: true })
  parseObject(value: string): string {
    return value;
  }

  @Option({ flags: '--file <path>', description: 'write to this file (default: standard output)' })
  parseFile(value: string): string {
    return value;
  }

  @Option({
    flags: '--no-formula-escape',
    description: "text starting with =, +, -, @, tab or CR as it is (default: written, and read back, with a leading ')",
  })
  parseNoFormulaEscape(): boolean {
    return false;
  }

  async run(_params: string[], options: RecordsCommandOptions): Promise<void> {
    const csv = (await this.servers.holding(options.workspaceId!)).get(RecordCsvService);
    const { rows } = await reported(() =>
      csv.export(
        options.workspaceId!,
        options.object!,
        () =>
          options.file
            ? createWriteStream(options.file)
            : new Writable({ write: (chunk, _encoding, done) => void process.stdout.write(chunk, done) }),
        { formulaEscape: options.formulaEscape !== false },
      ),
    );
    process.stderr.write(`Exported ${rows} record(s) of ${options.object}${options.file ? ` to ${options.file}` : ''}\n`);
  }
}

@Command({ name: 'records:import', description: 'Import records of an object from CSV; any bad row imports nothing unless --skip-invalid' })
export class RecordsImportCommand extends RecordsCommand {
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {
    super();
  }

  @Option({ flags: '--object <name>', description: 'nameSingular or namePlural of the object', required: true })
  parseObject(value: string): string {
    return value;
  }

  @Option({ flags: '--file <path>', description: 'the CSV file (headers as records:export writes them)', required: true })
  parseFile(value: string): string {
    return value;
  }

  @Option({ flags: '--skip-invalid', description: 'import the good rows and report the bad ones' })
  parseSkipInvalid(): boolean {
    return true;
  }

  @Option({
    flags: '--no-formula-escape',
    description: "text starting with =, +, -, @, tab or CR as it is (default: written, and read back, with a leading ')",
  })
  parseNoFormulaEscape(): boolean {
    return false;
  }

  @Option({ flags: '--encoding <charset>', description: 'charset of the file: utf-8 (default), latin1, windows-1252, utf-16le, ...' })
  parseEncoding(value: string): string {
    try {
      decoderFor(value);
    } catch (error) {
      throw new InvalidArgumentError(`--encoding: ${(error as Error).message}.`);
    }
    return value;
  }

  async run(_params: string[], options: RecordsCommandOptions): Promise<void> {
    const server = await this.servers.holding(options.workspaceId!);
    const result = await reported(() =>
      server.get(RecordCsvService).import(options.workspaceId!, options.object!, createReadStream(existingFile(options.file!)), {
        skipInvalid: options.skipInvalid,
        formulaEscape: options.formulaEscape !== false,
        charset: options.encoding,
      }),
    );
    if (options.json) {
      this.print(JSON.stringify(result));
      return;
    }
    result.errors.forEach((problem) => this.print(`skipped line ${problem.line}: ${problem.message}`));
    this.print(`Imported ${result.imported} record(s) of ${result.object}, skipped ${result.skipped}`);
  }
}

@Command({
  name: 'contacts:import-from-emails',
  description: 'Create people and their companies from email participants (CSV: email, displayName)',
})
export class ContactsImportFromEmailsCommand extends RecordsCommand {
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {
    super();
  }

  @Option({ flags: '--file <path>', description: 'participants CSV with the columns email (or handle) and displayName', required: true })
  parseFile(value: string): string {
    return value;
  }

  async run(_params: string[], options: RecordsCommandOptions): Promise<void> {
    const server = await this.servers.holding(options.workspaceId!);
    const result = await reported(() =>
      server.get(ContactCreationService).importFile(options.workspaceId!, createReadStream(existingFile(options.file!))),
    );
    if (options.json) {
      this.print(JSON.stringify(result));
      return;
    }
    result.skipped.forEach((skipped) => this.print(`skipped line ${skipped.line}: "${skipped.email}" (${skipped.reason})`));
    this.print(
      `People: ${result.people.created} created, ${result.people.existing} already there (email in ${result.columns.personEmail.join(', ')})`,
    );
    this.print(
      `Companies: ${result.companies.created} created, ${result.companies.existing} already there (domain in ${result.columns.companyDomain.join(', ')})`,
    );
  }
}
