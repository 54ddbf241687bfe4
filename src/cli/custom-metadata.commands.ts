import { Inject } from '@nestjs/common';
import { InvalidArgumentError } from 'commander';
import { Command, Option } from 'nest-commander';

import { UUID_PATTERN } from '../declarations/identifier.rules';
import { CustomMetadataService } from '../custom-metadata/custom-metadata.service';
import { BaseCommand, BaseCommandOptions } from './base.command';
import { formatPlan } from './plan.format';
import { CustomMetadataError } from '../custom-metadata/custom-metadata.error';
import { CREATABLE_FIELD_TYPES, unknownFieldTypeMessage } from '../custom-metadata/custom-metadata.input';
import { isFieldType } from '../declarations/field-type';
import { ServerDirectory } from '../server-directory';

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

/** The option of each input property, so that a refusal names what the user typed. */
const OPTION_OF: Record<string, string> = {
  workspaceId: '--workspace-id',
  object: '--object',
  nameSingular: '--name-singular',
  namePlural: '--name-plural',
  labelSingular: '--label-singular',
  labelPlural: '--label-plural',
  name: '--name',
  label: '--label',
  type: '--type',
  options: '--options',
  defaultValue: '--default',
  isNullable: '--required',
  icon: '--icon',
  shortcut: '--shortcut',
  isSearchable: '--searchable',
  isAuditLogged: '--audit-logged',
  labelIdentifierFieldName: '--label-identifier',
};

/** Compound property names are never words of a message: they can be replaced wherever they appear. */
const COMPOUND_PROPERTIES =
  /\b(workspaceId|nameSingular|namePlural|labelSingular|labelPlural|defaultValue|isSearchable|isAuditLogged|labelIdentifierFieldName)\b/g;

/** A refusal in the words of the command line: `--default is invalid for NUMBER: ...`, not `defaultValue ...`. */
const inOptionWords = (error: CustomMetadataError): string => {
  const option = OPTION_OF[error.property];
  const named = option && error.message.startsWith(`${error.property} `);
  const text = (named ? `${option}${error.message.slice(error.property.length)}` : error.message).replace(
    COMPOUND_PROPERTIES,
    (property) => OPTION_OF[property],
  );
  return !option || text.startsWith(`${option} `) ? text : `${option}: ${text}`;
};

/**
 * A refused change (a bad name, an unknown workspace or object, a name taken, data in the way, the
 * workspace locked by another runner) fails with exit 1, naming the option at fault; nothing was written.
 */
const refusalsInOptionWords = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CustomMetadataError) throw new Error(`${inOptionWords(error)}. Nothing was written.`, { cause: error });
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
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {
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
    const server = await this.servers.holding(options.workspaceId!);
    const { plan } = await refusalsInOptionWords(() =>
      server.get(CustomMetadataService).createObject(
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
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {
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
    const server = await this.servers.holding(options.workspaceId!);
    const { plan } = await refusalsInOptionWords(() =>
      server
        .get(CustomMetadataService)
        .deleteObject(options.workspaceId!, options.object!, { force: options.force, dryRun: options.dryRun }),
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
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {
    super();
  }

  @Option({ flags: '-w, --workspace-id <id>', description: 'the workspace', required: true })
  parseWorkspaceId(value: string): string {
    return parseWorkspaceId(value);
  }

  @Option({ flags: '--object <name>', description: 'the object, by nameSingular or namePlural', required: true })
  parseObject(value: string): string {
    return value;
  }

  @Option({ flags: '--name <name>', description: 'camelCase field name', required: true })
  parseName(value: string): string {
    return value;
  }

  @Option({
    flags: '--type <type>',
    description: `field type: ${CREATABLE_FIELD_TYPES.join(', ')} (EMAIL, LINK and PHONE only at 0.22)`,
    required: true,
  })
  parseType(value: string): string {
    if (!isFieldType(value)) throw new InvalidArgumentError(`${unknownFieldTypeMessage(value).replace(/^type/, '--type')}.`);
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
    const server = await this.servers.holding(options.workspaceId!);
    const { plan } = await refusalsInOptionWords(() =>
      server.get(CustomMetadataService).createField(options.workspaceId!, options.object!, {
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
