import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';

import { MAX_KEY_NAME_LENGTH } from '../auth/api-key.service';
import {
  CREATABLE_FIELD_TYPES,
  MAX_LABEL_LENGTH,
  MAX_TEXT_LENGTH,
  unknownFieldTypeMessage,
} from '../custom-metadata/custom-metadata.input';
import { FieldType } from '../declarations/field-type';
import { snapshotVersions } from '../standard-objects/version-snapshots';
import { MAX_DISPLAY_NAME_LENGTH } from '../workspace/workspace-creation.service';

/*
 * The request bodies: their shapes for the OpenAPI document, and the kind of each value, checked
 * by the global RequestValidationPipe (a 400 naming the property). The rules that need the
 * workspace (names free, types allowed at its version) stay with the services, which the CLI
 * shares.
 */

const NOT_BLANK = /\S/;

const nameRequired = (property: string) => ({ message: `${property} is required: a camelCase name` });
const labelRequired = (property: string) => ({ message: `${property} is required: 1 to ${MAX_LABEL_LENGTH} characters` });
const textOrNull = (property: string) => ({ message: `${property} must be text of at most ${MAX_TEXT_LENGTH} characters, or null` });
const trueOrFalse = (property: string) => ({ message: `${property} must be true or false` });

/** A description or an icon: text, or null to clear it. */
const OptionalText =
  (property: string): PropertyDecorator =>
  (target, key) => {
    IsOptional()(target, key);
    IsString(textOrNull(property))(target, key);
    MaxLength(MAX_TEXT_LENGTH, textOrNull(property))(target, key);
  };

const Label =
  (property: string): PropertyDecorator =>
  (target, key) => {
    IsString(labelRequired(property))(target, key);
    Matches(NOT_BLANK, labelRequired(property))(target, key);
    MaxLength(MAX_LABEL_LENGTH, labelRequired(property))(target, key);
  };

export class CreateWorkspaceBody {
  @ApiProperty({ example: 'Acme', description: `1 to ${MAX_DISPLAY_NAME_LENGTH} characters` })
  @IsString({ message: `displayName is required: 1 to ${MAX_DISPLAY_NAME_LENGTH} characters` })
  @Matches(NOT_BLANK, { message: `displayName is required: 1 to ${MAX_DISPLAY_NAME_LENGTH} characters` })
  @MaxLength(MAX_DISPLAY_NAME_LENGTH, { message: `displayName is required: 1 to ${MAX_DISPLAY_NAME_LENGTH} characters` })
  displayName: string;

  @ApiPropertyOptional({ example: '0.23', description: 'a released version to create the workspace at; default: the current one' })
  @IsOptional()
  @IsIn(snapshotVersions(), { message: `version must be one of ${snapshotVersions().join(', ')}` })
  version?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray({ message: 'featureFlags must be a list of flag names (letters, digits, _)' })
  @Matches(/^[A-Za-z0-9_]{1,100}$/, { each: true, message: 'featureFlags must be a list of flag names (letters, digits, _)' })
  featureFlags?: string[];

  @ApiPropertyOptional({ default: true, description: 'write the prefill companies and people' })
  @IsOptional()
  @IsBoolean(trueOrFalse('prefill'))
  prefill?: boolean;

  @ApiPropertyOptional({
    example: 'FR',
    description: 'ISO 3166-1 alpha-2 country of phone numbers written without an international prefix; default none',
  })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'defaultCountry must be an ISO 3166-1 alpha-2 country code such as FR, US or DE' })
  defaultCountry?: string;

  @ApiPropertyOptional({
    example: 'eu2',
    description:
      'the database server to create the workspace on (main, or a name of DATABASE_SERVERS); default: the one that answers with the fewest workspaces',
  })
  @IsOptional()
  @IsString({ message: 'server must be the name of a database server, such as main' })
  server?: string;
}

export class CreateApiKeyBody {
  @ApiProperty({ example: 'zapier', description: `who uses the key; 1 to ${MAX_KEY_NAME_LENGTH} characters` })
  @IsString({ message: `name is required: 1 to ${MAX_KEY_NAME_LENGTH} characters naming who uses the key` })
  name: string;
}

export class CreateObjectBody {
  @ApiProperty({ example: 'invoice', description: 'camelCase; table `_<nameSingular>`' })
  @IsString(nameRequired('nameSingular'))
  @MinLength(1, nameRequired('nameSingular'))
  nameSingular: string;

  @ApiProperty({ example: 'invoices' })
  @IsString(nameRequired('namePlural'))
  @MinLength(1, nameRequired('namePlural'))
  namePlural: string;

  @ApiProperty({ example: 'Invoice' })
  @Label('labelSingular')
  labelSingular: string;

  @ApiProperty({ example: 'Invoices' })
  @Label('labelPlural')
  labelPlural: string;

  @ApiPropertyOptional({ nullable: true })
  @OptionalText('description')
  description?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'IconFileInvoice', description: '"Icon" then letters and digits' })
  @OptionalText('icon')
  icon?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    example: 'I',
    description: 'one capital letter (A-Z) that opens the object; unique in the workspace',
  })
  @Allow()
  shortcut?: string | null;

  @ApiPropertyOptional({ description: 'whether search covers its records (default false)' })
  @IsOptional()
  @IsBoolean(trueOrFalse('isSearchable'))
  isSearchable?: boolean;

  @ApiPropertyOptional({ description: 'whether changes to its records are logged (default true)' })
  @IsOptional()
  @IsBoolean(trueOrFalse('isAuditLogged'))
  isAuditLogged?: boolean;

  @ApiPropertyOptional({ example: 'name', description: 'the field that names a record (TEXT, FULL_NAME or UUID); default name' })
  @Allow()
  labelIdentifierFieldName?: string;
}

export class UpdateObjectBody {
  @ApiPropertyOptional({ description: 'renames the table and the relation fields generated for the object' })
  @IsOptional()
  @IsString(nameRequired('nameSingular'))
  nameSingular?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString(nameRequired('namePlural'))
  namePlural?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Label('labelSingular')
  labelSingular?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Label('labelPlural')
  labelPlural?: string;

  @ApiPropertyOptional({ nullable: true })
  @OptionalText('description')
  description?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @OptionalText('icon')
  icon?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'one capital letter (A-Z), or null' })
  @Allow()
  shortcut?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean(trueOrFalse('isSearchable'))
  isSearchable?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean(trueOrFalse('isAuditLogged'))
  isAuditLogged?: boolean;

  @ApiPropertyOptional({ description: 'an active TEXT, FULL_NAME or UUID field of the object' })
  @Allow()
  labelIdentifierFieldName?: string;

  @ApiPropertyOptional({ description: 'false deactivates the object (its records stay)' })
  @IsOptional()
  @IsBoolean(trueOrFalse('isActive'))
  isActive?: boolean;
}

export class SelectOptionBody {
  @ApiProperty({ example: 'GOLD', description: 'letters, digits, "_", "." and "-", beginning with a letter or digit' })
  @IsString({ message: 'option value must be text: letters, digits, "_", "." and "-", beginning with a letter or digit' })
  value: string;

  @ApiPropertyOptional({ example: 'Gold', description: 'default: the value' })
  @IsOptional()
  @IsString({ message: `an option's label must be text of 1 to ${MAX_LABEL_LENGTH} characters` })
  label?: string;
}

export class CreateFieldBody {
  @ApiProperty({ example: 'tier', description: 'camelCase, free among the fields and their columns' })
  @IsString(nameRequired('name'))
  @MinLength(1, nameRequired('name'))
  name: string;

  @ApiProperty({ example: 'Tier' })
  @Label('label')
  label: string;

  @ApiProperty({
    example: 'SELECT',
    enum: CREATABLE_FIELD_TYPES,
    description: 'EMAIL, LINK and PHONE only on workspaces at 0.22',
  })
  @IsIn(Object.values(FieldType), { message: ({ value }) => unknownFieldTypeMessage(value) })
  type: string;

  @ApiPropertyOptional({ type: [SelectOptionBody], description: 'SELECT and MULTI_SELECT options' })
  @IsOptional()
  @IsArray({ message: 'options must be a list of { value, label }' })
  @ValidateNested({ each: true })
  @Type(() => SelectOptionBody)
  options?: SelectOptionBody[];

  @ApiPropertyOptional({ description: 'default value, shaped like the field' })
  @Allow()
  defaultValue?: unknown;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean(trueOrFalse('isNullable'))
  isNullable?: boolean;

  @ApiPropertyOptional({ nullable: true })
  @OptionalText('description')
  description?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @OptionalText('icon')
  icon?: string | null;
}

export class UpdateFieldBody {
  @ApiPropertyOptional({ description: 'renames the columns too' })
  @IsOptional()
  @IsString(nameRequired('name'))
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Label('label')
  label?: string;

  @ApiPropertyOptional({ nullable: true })
  @OptionalText('description')
  description?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @OptionalText('icon')
  icon?: string | null;

  @ApiPropertyOptional({ description: 'false deactivates the field (its values stay)' })
  @IsOptional()
  @IsBoolean(trueOrFalse('isActive'))
  isActive?: boolean;
}
