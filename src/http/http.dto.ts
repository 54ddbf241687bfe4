import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * Shapes of the request bodies, for the OpenAPI document. The services check every value and
 * answer 400 naming the property at fault, so these carry no validation of their own.
 */
export class CreateWorkspaceBody {
  @ApiProperty({ example: 'Acme', description: '1 to 200 characters' })
  displayName: string;

  @ApiPropertyOptional({ example: '0.23', description: 'a released version to create the workspace at; default: the current one' })
  version?: string;

  @ApiPropertyOptional({ type: [String] })
  featureFlags?: string[];

  @ApiPropertyOptional({ default: true, description: 'write the prefill companies and people' })
  prefill?: boolean;
}

export class CreateApiKeyBody {
  @ApiProperty({ example: 'zapier', description: 'who uses the key' })
  name: string;
}

export class CreateObjectBody {
  @ApiProperty({ example: 'invoice', description: 'camelCase; table `_<nameSingular>`' })
  nameSingular: string;

  @ApiProperty({ example: 'invoices' })
  namePlural: string;

  @ApiProperty({ example: 'Invoice' })
  labelSingular: string;

  @ApiProperty({ example: 'Invoices' })
  labelPlural: string;

  @ApiPropertyOptional()
  description?: string;

  @ApiPropertyOptional({ example: 'IconFileInvoice', description: '"Icon" then letters and digits' })
  icon?: string;

  @ApiPropertyOptional({ example: 'I', description: 'one capital letter (A-Z) that opens the object; unique in the workspace' })
  shortcut?: string;

  @ApiPropertyOptional({ description: 'whether search covers its records (default false)' })
  isSearchable?: boolean;

  @ApiPropertyOptional({ description: 'whether changes to its records are logged (default true)' })
  isAuditLogged?: boolean;

  @ApiPropertyOptional({ example: 'name', description: 'the field that names a record (TEXT, FULL_NAME or UUID); default name' })
  labelIdentifierFieldName?: string;
}

export class UpdateObjectBody {
  @ApiPropertyOptional({ description: 'renames the table and the relation fields generated for the object' })
  nameSingular?: string;

  @ApiPropertyOptional()
  namePlural?: string;

  @ApiPropertyOptional()
  labelSingular?: string;

  @ApiPropertyOptional()
  labelPlural?: string;

  @ApiPropertyOptional()
  description?: string;

  @ApiPropertyOptional()
  icon?: string;

  @ApiPropertyOptional({ description: 'one capital letter (A-Z), or null' })
  shortcut?: string | null;

  @ApiPropertyOptional()
  isSearchable?: boolean;

  @ApiPropertyOptional()
  isAuditLogged?: boolean;

  @ApiPropertyOptional({ description: 'an active TEXT, FULL_NAME or UUID field of the object' })
  labelIdentifierFieldName?: string;

  @ApiPropertyOptional({ description: 'false deactivates the object (its records stay)' })
  isActive?: boolean;
}

export class CreateFieldBody {
  @ApiProperty({ example: 'tier', description: 'camelCase, free among the fields and their columns' })
  name: string;

  @ApiProperty({ example: 'Tier' })
  label: string;

  @ApiProperty({
    example: 'SELECT',
    description:
      'TEXT, NUMBER, NUMERIC, BOOLEAN, DATE, DATE_TIME, SELECT, MULTI_SELECT, RATING, RAW_JSON, ARRAY, UUID, FULL_NAME, LINKS, EMAILS, PHONES, ADDRESS, CURRENCY',
  })
  type: string;

  @ApiPropertyOptional({ example: [{ value: 'GOLD', label: 'Gold' }], description: 'SELECT and MULTI_SELECT options' })
  options?: Array<{ value: string; label: string }>;

  @ApiPropertyOptional({ description: 'default value, shaped like the field' })
  defaultValue?: unknown;

  @ApiPropertyOptional({ default: true })
  isNullable?: boolean;

  @ApiPropertyOptional()
  description?: string;

  @ApiPropertyOptional()
  icon?: string;
}

export class UpdateFieldBody {
  @ApiPropertyOptional({ description: 'renames the columns too' })
  name?: string;

  @ApiPropertyOptional()
  label?: string;

  @ApiPropertyOptional()
  description?: string;

  @ApiPropertyOptional()
  icon?: string;

  @ApiPropertyOptional({ description: 'false deactivates the field (its values stay)' })
  isActive?: boolean;
}
