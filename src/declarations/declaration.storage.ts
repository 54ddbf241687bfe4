import { FieldType, OnDeleteAction, RelationType } from './field-type';
import { DeclaredSelectOption } from './declared-schema';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- decorators receive any class
export type EntityClass = Function;

export interface WorkspaceEntityOptions {
  standardId: string;
  nameSingular: string;
  namePlural: string;
  labelSingular: string;
  labelPlural: string;
  description?: string;
  icon?: string;
  /** standardId of the field that names a record (TEXT, FULL_NAME or UUID). */
  labelIdentifierStandardId?: string;
  /** standardId of the field whose value is a record's image (TEXT or LINKS). */
  imageIdentifierStandardId?: string;
  /** A keyboard shortcut: one capital letter, unique in the set. */
  shortcut?: string;
  /** Whether search covers the object's records (default false); needs a label identifier. */
  isSearchable?: boolean;
  /** Whether changes to its records are kept in the audit log (default true). */
  isAuditLogged?: boolean;
}

export interface WorkspaceFieldOptions {
  standardId: string;
  type: FieldType;
  label: string;
  description?: string;
  icon?: string;
  defaultValue?: unknown;
  options?: DeclaredSelectOption[];
  settings?: Record<string, unknown>;
}

export interface WorkspaceRelationOptions {
  standardId: string;
  type: RelationType;
  label: string;
  description?: string;
  icon?: string;
  inverseSideTarget: () => EntityClass;
  /** The field on the other side. Omitted only on the custom-object base, where it is generated. */
  inverseSideFieldKey?: string;
  /** The foreign key's rule; declared on either side of the relation, once. */
  onDelete?: OnDeleteAction;
  /** On the MANY_TO_ONE side: the foreign key is NOT NULL (every record points at one). */
  isRequired?: boolean;
}

export interface IndexOptions {
  name?: string;
  isUnique?: boolean;
  where?: string;
}

export interface PropertyRecord {
  propertyName: string;
  field?: WorkspaceFieldOptions;
  relation?: WorkspaceRelationOptions;
  isNullable?: boolean;
  isSystem?: boolean;
  isDeprecated?: boolean;
  isInactive?: boolean;
  isUnique?: boolean;
  gate?: string;
  index?: IndexOptions;
}

export interface ClassRecord {
  entity?: WorkspaceEntityOptions;
  isSystem?: boolean;
  gate?: string;
  indexes: Array<IndexOptions & { fields: string[] }>;
  properties: Map<string, PropertyRecord>;
}

/**
 * Where the decorators write. Keyed by class; a class's own declarations only, inheritance is
 * resolved by the builder. Nothing here has side effects beyond recording.
 */
class DeclarationStorage {
  private readonly classes = new Map<EntityClass, ClassRecord>();

  classRecord(target: EntityClass): ClassRecord {
    let record = this.classes.get(target);
    if (!record) {
      record = { indexes: [], properties: new Map() };
      this.classes.set(target, record);
    }
    return record;
  }

  propertyRecord(target: EntityClass, propertyName: string): PropertyRecord {
    const properties = this.classRecord(target).properties;
    let record = properties.get(propertyName);
    if (!record) {
      record = { propertyName };
      properties.set(propertyName, record);
    }
    return record;
  }

  find(target: EntityClass): ClassRecord | undefined {
    return this.classes.get(target);
  }
}

export const declarationStorage = new DeclarationStorage();
