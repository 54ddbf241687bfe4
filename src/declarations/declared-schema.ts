import { FieldType, OnDeleteAction, RelationType } from './field-type';

/**
 * The declared state as plain data: what a declaration set (or a frozen version snapshot) says a
 * workspace must hold. Serialisable to JSON, so that snapshots are just this shape on disk.
 */
export interface DeclaredSelectOption {
  /** A UUID that follows the option through renames of its value (which then keep the records' data). */
  id?: string;
  value: string;
  label: string;
  position: number;
  color?: string;
}

export interface DeclaredRelation {
  type: RelationType;
  /** nameSingular of the object on the other side. */
  targetObject: string;
  /** Name of the field on the other side; `null` where the inverse is generated per custom object. */
  inverseFieldName: string | null;
  /** On-delete rule of the foreign key; only on the MANY_TO_ONE side. */
  onDelete?: OnDeleteAction;
}

export interface DeclaredField {
  standardId: string;
  name: string;
  type: FieldType;
  label: string;
  description: string | null;
  icon: string | null;
  isNullable: boolean;
  isSystem: boolean;
  /** Whether the field is created active; `isActive` is never overwritten after creation. */
  isActive: boolean;
  /** A deprecated field is turned custom (kept, with its data) rather than maintained as standard. */
  isDeprecated: boolean;
  isUnique: boolean;
  defaultValue: unknown;
  options: DeclaredSelectOption[] | null;
  settings: Record<string, unknown> | null;
  relation: DeclaredRelation | null;
  gate: string | null;
}

export interface DeclaredIndex {
  name: string;
  /** Field names; a composite field stands for all its columns, a relation for its join column. */
  fields: string[];
  isUnique: boolean;
  /** An optional partial-index predicate, written against column names. */
  where: string | null;
}

export interface DeclaredObject {
  standardId: string;
  nameSingular: string;
  namePlural: string;
  labelSingular: string;
  labelPlural: string;
  description: string | null;
  icon: string | null;
  isSystem: boolean;
  labelIdentifierStandardId: string | null;
  /*
   * The properties below are written only when declared (absent: the default), so that the
   * declared states and snapshots of sets that do not use them stay as they were.
   */
  /** The field whose value is a record's image (TEXT: an image URL; LINKS: a domain's logo). */
  imageIdentifierStandardId?: string;
  /** A keyboard shortcut: one capital letter, unique in the set. */
  shortcut?: string;
  /** Whether search covers the object's records (default false). */
  isSearchable?: boolean;
  /** Whether changes to its records are kept in the audit log (default true). */
  isAuditLogged?: boolean;
  gate: string | null;
  fields: DeclaredField[];
  indexes: DeclaredIndex[];
}

export interface DeclaredSchema {
  version: string | null;
  objects: DeclaredObject[];
  /** The fields every custom object gets, declared once on the custom-object base. */
  customObjectFields: DeclaredField[];
}
