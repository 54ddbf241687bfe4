import { Inject } from '@nestjs/common';
import { InvalidArgumentError } from 'commander';
import { Command, Option } from 'nest-commander';

import { DatabaseService } from '../database/database.service';
import { UUID_PATTERN } from '../declarations/identifier.rules';
import { CustomMetadataService } from '../custom-metadata/custom-metadata.service';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { UsageError } from './cli.error';
import { formatPlan } from './plan.format';
import { CustomMetadataError } from '../custom-metadata/custom-metadata.error';

const parseWorkspaceId = (value: string): string => {
  if (!UUID_PATTERN.test(value))
    throw new InvalidArgumentError(`--workspace-id takes a workspace id (a UUID); got "${value.slice(0, 80)}".`);
  return value.toLowerCase();
};

const parseJson =
  (option: string) =>
  (value: string): unknown => {
    try {
      return JSON.parse(value);
    } catch {
      throw new InvalidArgumentError(`${option} takes JSON; got "${value.slice(0, 80)}".`);
    }
  };

/**
 * Custom-metadata input errors are the caller's: exit 2 with the property at fault named. A
 * conflict (the workspace locked by another runner, data in the way) refuses the work: exit 1.
 */
const asUsage = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CustomMetadataError) {
      const message = `${error.message}. Nothing was written.`;
      throw error.code === 'CONFLICT' ? new Error(message) : new UsageError(message);
    }
    throw error;
  }
};

interface CustomObjectCommandOptions extends BaseCommandOptions {
  workspaceId?: string;
  nameSingular?: string;
  namePlural?: string;
  labelSingular?: string;
  labelPlural?: string;
  icon?: string;
  shortcut?: string;
  searchable?: boolean;
  auditLogged?: boolean;
  labelIdentifier?: string;
  dryRun?: boolean;
}

const parseBoolean =
  (option: string) =>
  (value: string): boolean => {
    if (value !== 'true' && value !== 'false')
      throw new InvalidArgumentError(`${option} takes true or false; got "${value.slice(0, 80)}".`);
    return value === 'true';
  };

/** The plan applied, or with --dry-run the plan that would be (-v: with its SQL). */
const planLines = (plan: Parameters<typeof formatPlan>[0], options: { dryRun?: boolean; verbose?: boolean }): string[] =>
  options.dryRun ? ['Dry run: nothing was written.', ...formatPlan(plan, options.verbose)] : formatPlan(plan, options.verbose);

@Command({ name: 'object:create', description: 'Create a custom object in a workspace (table, shared fields, default view)' })
export class ObjectCreateCommand extends BaseCommand<CustomObjectCommandOptions> {
  constructor(
    @Inject(DatabaseService) private readonly database: DatabaseService,
    @Inject(CustomMetadataService) private readonly metadata: CustomMetadataService,
  ) {
    super();
  }

  @Option({ flags: '-w, --workspace-id <id>', description: 'the workspace', required: true })
  parseWorkspaceId(value: string): string {
    return parseWorkspaceId(value);
  }

  @Option({ flags: '--name-singular <name>', description: 'camelCase singular name', required: true })
  parseNameSingular(value: string): string {
    return value;
  }

  @Option({ flags: '--name-plural <name>', description: 'camelCase plural name', required: true })
  parseNamePlural(value: string): string {
    return value;
  }

  @Option({ flags: '--label-singular <label>', description: 'label (default: the singular name)' })
  parseLabelSingular(value: string): string {
    return value;
  }

  @Option({ flags: '--label-plural <label>', description: 'label (default: the plural name)' })
  parseLabelPlural(value: string): string {
    return value;
  }

  @Option({ flags: '--icon <name>', description: 'an icon name such as IconBuilding' })
  parseIcon(value: string): string {
    return value;
  }

  @Option({ flags: '--shortcut <letter>', description: 'one capital letter (A-Z) that opens the object; unique in the workspace' })
  parseShortcut(value: string): string {
    return value;
  }

  @Option({ flags: '--searchable <true|false>', description: 'whether search covers its records (default false)' })
  parseSearchable(value: string): boolean {
    return parseBoolean('--searchable')(value);
  }

  @Option({ flags: '--audit-logged <true|false>', description: 'whether changes to its records are logged (default true)' })
  parseAuditLogged(value: string): boolean {
    return parseBoolean('--audit-logged')(value);
  }

  @Option({ flags: '--label-identifier <field>', description: 'the field that names a record (TEXT, FULL_NAME or UUID; default name)' })
  parseLabelIdentifier(value: string): string {
    return value;
  }

  @Option({ flags: '--dry-run', description: 'print the plan (-v: with its SQL) and write nothing' })
  parseDryRun(): boolean {
    return true;
  }

  async run(_params: string[], options: CustomObjectCommandOptions): Promise<void> {
    await this.database.connect();
    const { plan } = await asUsage(() =>
      this.metadata.createObject(
        options.workspaceId!,
        {
          nameSingular: options.nameSingular!,
          namePlural: options.namePlural!,
          labelSingular: options.labelSingular ?? options.nameSingular!,
          labelPlural: options.labelPlural ?? options.namePlural!,
          ...(options.icon !== undefined ? { icon: options.icon } : {}),
          ...(options.shortcut !== undefined ? { shortcut: options.shortcut } : {}),
          ...(options.searchable !== undefined ? { isSearchable: options.searchable } : {}),
          ...(options.auditLogged !== undefined ? { isAuditLogged: options.auditLogged } : {}),
          ...(options.labelIdentifier !== undefined ? { labelIdentifierFieldName: options.labelIdentifier } : {}),
        },
        { dryRun: options.dryRun },
      ),
    );
    planLines(plan, options).forEach((line) => this.print(line));
  }
}

interface ObjectDeleteCommandOptions extends BaseCommandOptions {
  workspaceId?: string;
  object?: string;
  force?: boolean;
  dryRun?: boolean;
}

@Command({
  name: 'object:delete',
  description: 'Delete a custom object of a workspace (table, metadata, views, its relations on target objects)',
})
export class ObjectDeleteCommand extends BaseCommand<ObjectDeleteCommandOptions> {
  constructor(
    @Inject(DatabaseService) private readonly database: DatabaseService,
    @Inject(CustomMetadataService) private readonly metadata: CustomMetadataService,
  ) {
    super();
  }

  @Option({ flags: '-w, --workspace-id <id>', description: 'the workspace', required: true })
  parseWorkspaceId(value: string): string {
    return parseWorkspaceId(value);
  }

  @Option({ flags: '--object <name>', description: 'nameSingular of the custom object', required: true })
  parseObject(value: string): string {
    return value;
  }

  @Option({ flags: '--force', description: 'delete even though the object holds records (they are dropped)' })
  parseForce(): boolean {
    return true;
  }

  @Option({ flags: '--dry-run', description: 'print the plan (-v: with its SQL) and write nothing' })
  parseDryRun(): boolean {
    return true;
  }

  async run(_params: string[], options: ObjectDeleteCommandOptions): Promise<void> {
    await this.database.connect();
    const { plan } = await asUsage(() =>
      this.metadata.deleteObject(options.workspaceId!, options.object!, { force: options.force, dryRun: options.dryRun }),
    );
    planLines(plan, options).forEach((line) => this.print(line));
  }
}

interface CustomFieldCommandOptions extends BaseCommandOptions {
  workspaceId?: string;
  object?: string;
  name?: string;
  type?: string;
  label?: string;
  options?: unknown;
  default?: unknown;
  required?: boolean;
}

@Command({ name: 'field:create', description: 'Create a custom field on an object of a workspace' })
export class FieldCreateCommand extends BaseCommand<CustomFieldCommandOptions> {
  constructor(
    @Inject(DatabaseService) private readonly database: DatabaseService,
    @Inject(CustomMetadataService) private readonly metadata: CustomMetadataService,
  ) {
    super();
  }

  @Option({ flags: '-w, --workspace-id <id>', description: 'the workspace', required: true })
  parseWorkspaceId(value: string): string {
    return parseWorkspaceId(value);
  }

  @Option({ flags: '--object <name>', description: 'nameSingular of the object', required: true })
  parseObject(value: string): string {
    return value;
  }

  @Option({ flags: '--name <name>', description: 'camelCase field name', required: true })
  parseName(value: string): string {
    return value;
  }

  @Option({ flags: '--type <type>', description: 'field type (TEXT, NUMBER, SELECT, ARRAY, EMAILS, LINKS, ...)', required: true })
  parseType(value: string): string {
    return value;
  }

  @Option({ flags: '--label <label>', description: 'label (default: the name)' })
  parseLabel(value: string): string {
    return value;
  }

  @Option({ flags: '--options <json>', description: 'SELECT options as JSON: [{"value":"A","label":"A"}]' })
  parseOptions(value: string): unknown {
    return parseJson('--options')(value);
  }

  @Option({ flags: '--default <json>', description: 'default value as JSON' })
  parseDefault(value: string): unknown {
    return parseJson('--default')(value);
  }

  @Option({ flags: '--required', description: 'not nullable (needs --default)' })
  parseRequired(): boolean {
    return true;
  }

  async run(_params: string[], options: CustomFieldCommandOptions): Promise<void> {
    await this.database.connect();
    const { plan } = await asUsage(() =>
      this.metadata.createField(options.workspaceId!, options.object!, {
        name: options.name!,
        type: options.type!,
        label: options.label ?? options.name!,
        options: (options.options as never) ?? null,
        defaultValue: options.default,
        isNullable: !options.required,
      }),
    );
    formatPlan(plan, options.verbose).forEach((line) => this.print(line));
  }
}
