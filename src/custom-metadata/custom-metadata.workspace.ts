import { RelationType } from '../declarations/field-type';
import { ActualField, ActualObject, ActualState, actualFieldColumns } from '../metadata/actual-state';
import { STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import { CustomMetadataError } from './custom-metadata.error';

/** The object a path names: by nameSingular or namePlural (`person`, `people`). */
export const objectNamed = (objects: ActualObject[], name: string): ActualObject | undefined =>
  objects.find((candidate) => candidate.nameSingular === name) ?? objects.find((candidate) => candidate.namePlural === name);

/**
 * The workspace as custom objects and fields meet it: its objects and fields by name, the names
 * and columns they take, the relations generated on other objects for a custom object.
 */
export class CustomMetadataWorkspace {
  constructor(readonly actual: ActualState) {}

  /** An object by its singular or plural name, as records are named; NOT_FOUND otherwise. */
  findObject(objectName: string): ActualObject {
    const object = objectNamed(this.actual.objects, objectName);
    if (!object) {
      throw new CustomMetadataError(
        'object',
        `object "${String(objectName).slice(0, 80)}" does not exist in this workspace; objects are named by their singular or plural name (e.g. person, people)`,
        'NOT_FOUND',
      );
    }
    return object;
  }

  findField(object: ActualObject, fieldName: string): ActualField {
    const field = object.fields.find((candidate) => candidate.name === fieldName);
    if (!field)
      throw new CustomMetadataError(
        'field',
        `field "${String(fieldName).slice(0, 80)}" does not exist on ${object.nameSingular}`,
        'NOT_FOUND',
      );
    return field;
  }

  /** Refuses a name (under `property`) another object than `except` takes as its singular or plural name. */
  checkObjectNameFree(property: string, name: string, except?: ActualObject): void {
    const clash = this.actual.objects.find(
      (candidate) => candidate !== except && (candidate.nameSingular === name || candidate.namePlural === name),
    );
    if (clash) throw new CustomMetadataError(property, `${property} "${name}" is already used by the object "${clash.nameSingular}"`);
  }

  /** Refuses a keyboard shortcut another object than `except` already opens with. */
  checkShortcutFree(shortcut: string | null | undefined, except?: ActualObject): void {
    if (shortcut === null || shortcut === undefined) return;
    const clash = this.actual.objects.find((candidate) => candidate !== except && candidate.shortcut === shortcut);
    if (clash) {
      throw new CustomMetadataError(
        'shortcut',
        `shortcut "${shortcut}" already opens the object "${clash.nameSingular}"; choose another letter`,
      );
    }
  }

  checkTableFree(tableName: string): void {
    if (this.actual.live.tables.has(tableName))
      throw new CustomMetadataError('nameSingular', `a table ${tableName} already exists in this workspace`);
  }

  checkEnumTypeFree(name: string): void {
    if (this.hasEnumType(name))
      throw new CustomMetadataError('name', `the type ${name} already exists in this workspace; choose another name`);
  }

  /** A new field's name and columns must be free among the object's fields (but `except`) and live columns. */
  checkFieldNameFree(object: ActualObject, name: string, columns: string[], property: string, except?: ActualField): void {
    const taken = new Map<string, string>();
    const own = new Set(except ? actualFieldColumns(except, object.tableName).map((column) => column.name) : []);
    for (const field of object.fields) {
      if (field === except) continue;
      taken.set(field.name, field.name);
      for (const column of actualFieldColumns(field, object.tableName)) taken.set(column.name, field.name);
    }
    for (const column of this.actual.live.tables.get(object.tableName)?.columns.keys() ?? []) {
      if (!taken.has(column) && !own.has(column)) taken.set(column, `a column without metadata`);
    }
    for (const candidate of [name, ...columns]) {
      const owner = taken.get(candidate);
      if (owner) {
        throw new CustomMetadataError(
          property,
          `"${candidate}" is already used on ${object.nameSingular} by ${owner === candidate ? `the field "${owner}"` : owner.startsWith('a column') ? owner : `the field "${owner}"`}`,
        );
      }
    }
  }

  hasEnumType(name: string): boolean {
    return this.actual.live.enums.has(name);
  }

  /** The enum types of a field's columns that exist. */
  enumTypesOf(field: ActualField, tableName: string): string[] {
    return actualFieldColumns(field, tableName).flatMap((column) =>
      column.enumName && this.hasEnumType(column.enumName) ? [column.enumName] : [],
    );
  }

  /** The relation fields other objects hold for a custom object (noteTarget.<name>, attachment.<name>). */
  generatedInverses(object: ActualObject): Array<{ owner: ActualObject; field: ActualField }> {
    return this.actual.objects.flatMap((owner) =>
      owner === object
        ? []
        : owner.fields
            .filter((field) => field.relationType === RelationType.MANY_TO_ONE && field.relationTargetObjectMetadataId === object.id)
            .map((field) => ({ owner, field })),
    );
  }

  /** The table of a standard object, if the workspace has it. */
  tableOf(standardId: string): string | null {
    return this.actual.objects.find((object) => !object.isCustom && object.standardId === standardId)?.tableName ?? null;
  }

  /** The tables of view fields, filters and sorts (each row points at a field). */
  viewEntryTables(): string[] {
    return [STANDARD_OBJECT_IDS.viewField, STANDARD_OBJECT_IDS.viewFilter, STANDARD_OBJECT_IDS.viewSort]
      .map((standardId) => this.tableOf(standardId))
      .filter((table): table is string => table !== null);
  }
}
