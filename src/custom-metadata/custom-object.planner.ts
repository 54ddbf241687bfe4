import { DeclaredField } from '../declarations/declared-schema';
import { FieldType, RelationType } from '../declarations/field-type';
import { actualFieldColumns } from '../metadata/actual-state';
import { customTableName, enumTypeName, foreignKeyName, indexName, joinColumnName } from '../metadata/column-layout';
import { STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import {
  Change,
  declaredFieldRow,
  enumTypesOf,
  FieldRow,
  GeneratedRelationRename,
  ObjectColumns,
  ObjectRow,
  Rename,
} from '../sync/changes';
import { desiredField } from '../sync/desired-state';
import { Hazard, PlannedAction } from '../sync/plan';
import { CustomMetadataError } from './custom-metadata.error';
import {
  checkActive,
  checkFlag,
  checkIcon,
  checkLabel,
  checkLabelIdentifier,
  checkObjectName,
  checkShortcut,
  checkText,
  CustomObjectInput,
  customObjectOf,
  givenProperties,
  ObjectUpdateInput,
} from './custom-metadata.input';
import { CustomMetadataWorkspace } from './custom-metadata.workspace';
import { declaredTargets, targetRelation } from './target-relations.planner';

const OBJECT_UPDATES = [
  'nameSingular',
  'namePlural',
  'labelSingular',
  'labelPlural',
  'description',
  'icon',
  'shortcut',
  'isSearchable',
  'isAuditLogged',
  'labelIdentifierFieldName',
  'isActive',
];

/** Plans custom objects: creation (with the relations generated for them), rename and other updates, deletion. */
export class CustomObjectPlanner {
  constructor(
    private readonly workspace: CustomMetadataWorkspace,
    private readonly newId: () => string,
  ) {}

  /**
   * A custom object: its table `_<name>`, the shared fields of custom objects, and its links to
   * every declared target object (note targets, attachments ...: a generated relation on each,
   * with a nullable column and a cascading foreign key).
   */
  create(input: CustomObjectInput, sharedFields: DeclaredField[]): PlannedAction {
    const spec = customObjectOf(input);
    const { nameSingular, namePlural, labelSingular, labelPlural, description, icon } = spec;
    this.workspace.checkObjectNameFree('nameSingular', nameSingular);
    this.workspace.checkObjectNameFree('namePlural', namePlural);
    this.workspace.checkShortcutFree(spec.shortcut);
    const tableName = customTableName(nameSingular);
    this.workspace.checkTableFree(tableName);
    const objectId = this.newId();
    const plain = sharedFields
      .filter((field) => field.type !== FieldType.RELATION && !field.isDeprecated)
      .map((field) => desiredField(field, tableName));
    const relations = sharedFields.filter((field) => field.relation?.type === RelationType.ONE_TO_MANY && !field.isDeprecated);
    const labelFieldName =
      spec.labelIdentifierFieldName !== undefined
        ? checkLabelIdentifier(
            spec.labelIdentifierFieldName,
            plain.map((field) => field.declared),
          )
        : 'name';
    const labelField = plain.find((field) => field.declared.name === labelFieldName);
    if (spec.isSearchable === true && !labelField) {
      throw new CustomMetadataError('isSearchable', 'a searchable object needs a label identifier: give labelIdentifierFieldName');
    }
    const ids = new Map(sharedFields.map((field) => [field.name, this.newId()]));
    const sharedRow = (
      field: DeclaredField,
      relationTargetObjectMetadataId: string | null,
      relationTargetFieldMetadataId: string | null,
    ): FieldRow =>
      declaredFieldRow(field, {
        id: ids.get(field.name)!,
        objectMetadataId: objectId,
        standardId: field.standardId,
        isCustom: false,
        relationTargetObjectMetadataId,
        relationTargetFieldMetadataId,
      });

    const generated = declaredTargets(this.workspace, relations).map(({ field, owner }) => {
      this.workspace.checkFieldNameFree(owner, nameSingular, [joinColumnName(nameSingular)], 'nameSingular');
      return { owner, id: this.newId(), field };
    });
    const targeted = { id: objectId, nameSingular, labelSingular, icon, tableName };
    const generatedRelations = generated.map(({ owner, id, field }) =>
      targetRelation(owner, targeted, { field, id: ids.get(field.name)! }, id, this.newId),
    );
    const object: ObjectRow = {
      id: objectId,
      standardId: null,
      nameSingular,
      namePlural,
      labelSingular,
      labelPlural,
      description,
      icon,
      tableName,
      isCustom: true,
      isSystem: false,
      isActive: true,
      labelIdentifierFieldMetadataId: labelField ? ids.get(labelField.declared.name)! : null,
      ...(spec.shortcut !== undefined ? { shortcut: spec.shortcut } : {}),
      ...(spec.isSearchable !== undefined ? { isSearchable: spec.isSearchable } : {}),
      ...(spec.isAuditLogged !== undefined ? { isAuditLogged: spec.isAuditLogged } : {}),
    };
    return {
      kind: 'CREATE_OBJECT',
      object: nameSingular,
      field: null,
      hazard: null,
      summary: `create custom object ${nameSingular} (table ${tableName}, ${plain.length + generated.length} fields)`,
      changes: [
        {
          kind: 'createObject',
          object,
          enumTypes: plain.flatMap((field) => enumTypesOf(field.columns, field.enumValues)),
          columns: plain.flatMap((field) => field.columns),
          fields: [
            ...plain.map((field) => sharedRow(field.declared, null, null)),
            ...generated.map(({ owner, id, field }) => sharedRow(field, owner.id, id)),
          ],
        },
        ...generatedRelations.map((relation): Change => ({ kind: 'createGeneratedRelation', relation })),
      ],
      preflight: [],
    };
  }

  /**
   * Renames, relabels, activates or deactivates an object. Only custom objects change names and
   * labels (sync owns the standard ones); a renamed custom object takes its table, enum types and
   * the relation fields generated for it on other objects along.
   */
  update(objectName: string, input: ObjectUpdateInput): PlannedAction {
    const object = this.workspace.findObject(objectName);
    const given = givenProperties(input, OBJECT_UPDATES, 'an object');
    if (!object.isCustom) {
      const notActive = given.find((key) => key !== 'isActive');
      if (notActive) {
        throw new CustomMetadataError(
          notActive,
          `${object.nameSingular} is a standard object: only isActive can be changed; its names and labels come from the declarations`,
        );
      }
    }
    const set: ObjectColumns = {};
    if (input.isActive !== undefined) {
      set.isActive = checkActive(input.isActive);
      if (object.isSystem) throw new CustomMetadataError('isActive', `${object.nameSingular} is a system object and cannot be deactivated`);
    }
    for (const property of ['labelSingular', 'labelPlural'] as const) {
      if (input[property] !== undefined) set[property] = checkLabel(property, input[property]);
    }
    if (input.description !== undefined) set.description = checkText('description', input.description);
    if (input.icon !== undefined) set.icon = checkIcon('icon', input.icon);
    if (input.shortcut !== undefined) {
      set.shortcut = checkShortcut(input.shortcut);
      this.workspace.checkShortcutFree(set.shortcut, object);
    }
    for (const flag of ['isSearchable', 'isAuditLogged'] as const) {
      if (input[flag] !== undefined) set[flag] = checkFlag(flag, input[flag]);
    }
    if (input.labelIdentifierFieldName !== undefined) {
      const name = checkLabelIdentifier(
        input.labelIdentifierFieldName,
        object.fields.filter((field) => field.isActive && !field.isDeprecated),
      );
      set.labelIdentifierFieldMetadataId = object.fields.find((field) => field.name === name)!.id;
    }
    const labelIdentified = set.labelIdentifierFieldMetadataId ?? object.labelIdentifierFieldMetadataId;
    if (set.isSearchable === true && labelIdentified === null) {
      throw new CustomMetadataError('isSearchable', 'a searchable object needs a label identifier: give labelIdentifierFieldName');
    }
    const namePlural = input.namePlural !== undefined ? checkObjectName('namePlural', input.namePlural) : object.namePlural;
    const nameSingular = input.nameSingular !== undefined ? checkObjectName('nameSingular', input.nameSingular) : object.nameSingular;
    if (nameSingular === namePlural) {
      throw new CustomMetadataError(
        input.namePlural !== undefined ? 'namePlural' : 'nameSingular',
        'namePlural must differ from nameSingular',
      );
    }
    for (const [property, name] of [
      ['nameSingular', nameSingular],
      ['namePlural', namePlural],
    ] as const) {
      if (input[property] === undefined) continue;
      this.workspace.checkObjectNameFree(property, name, object);
      set[property] = name;
    }
    const action = { object: nameSingular, field: null, hazard: null, preflight: [] };
    if (nameSingular === object.nameSingular) {
      const columns = Object.keys(set);
      return {
        ...action,
        kind: 'UPDATE_OBJECT',
        summary: `update object ${object.nameSingular} (${columns.join(', ')})`,
        changes: columns.length > 0 ? [{ kind: 'updateObject', objectId: object.id, set }] : [],
      };
    }
    const tableName = customTableName(nameSingular);
    this.workspace.checkTableFree(tableName);
    set.tableName = tableName;
    const enumTypes: Rename[] = object.fields.flatMap((field) =>
      actualFieldColumns(field, object.tableName)
        .filter((column) => column.enumName && this.workspace.hasEnumType(column.enumName))
        .map((column) => ({ from: column.enumName!, to: enumTypeName(tableName, column.name) })),
    );
    const relations = this.workspace
      .generatedInverses(object)
      .filter(({ field }) => field.name === object.nameSingular)
      .map(({ owner, field }): GeneratedRelationRename => {
        this.workspace.checkFieldNameFree(owner, nameSingular, [joinColumnName(nameSingular)], 'nameSingular', field);
        const column = { from: joinColumnName(field.name), to: joinColumnName(nameSingular) };
        return {
          objectId: owner.id,
          tableName: owner.tableName,
          fieldId: field.id,
          name: nameSingular,
          column,
          foreignKey: { from: foreignKeyName(owner.tableName, column.from), to: foreignKeyName(owner.tableName, column.to) },
          index: { from: indexName(owner.tableName, [column.from], false), to: indexName(owner.tableName, [column.to], false) },
        };
      });
    return {
      ...action,
      kind: 'RENAME_OBJECT',
      summary: `rename custom object ${object.nameSingular} to ${nameSingular} (table ${object.tableName} -> ${tableName})`,
      changes: [
        {
          kind: 'renameCustomObject',
          objectId: object.id,
          tableName: { from: object.tableName, to: tableName },
          enumTypes,
          relations,
          set,
        },
      ],
    };
  }

  /**
   * Deletes a custom object: its views, the relation fields generated for it on other objects,
   * its table and enum types, its metadata. `rows` (read by the caller) must be 0 unless `force`.
   */
  delete(objectName: string, rows: number, force: boolean): PlannedAction {
    const object = this.workspace.findObject(objectName);
    if (!object.isCustom) {
      throw new CustomMetadataError(
        'object',
        `${object.nameSingular} is a standard object and cannot be deleted; deactivate it instead (isActive: false)`,
      );
    }
    if (rows > 0 && !force) {
      throw new CustomMetadataError(
        'force',
        `${object.nameSingular} holds ${rows} record(s); deleting it drops them. Deactivate it instead, or delete with force to drop the data`,
        'CONFLICT',
      );
    }
    const inverses = this.workspace.generatedInverses(object);
    return {
      kind: 'DROP_OBJECT',
      object: object.nameSingular,
      field: null,
      hazard: rows > 0 ? Hazard.DROPS_DATA : null,
      summary: `delete custom object ${object.nameSingular} (table ${object.tableName}${rows > 0 ? `, ${rows} record(s)` : ''})`,
      changes: [
        {
          kind: 'deleteViewEntries',
          tables: this.workspace.viewEntryTables(),
          fieldIds: [...object.fields, ...inverses.map(({ field }) => field)].map((field) => field.id),
        },
        {
          kind: 'deleteCustomObject',
          objectId: object.id,
          tableName: object.tableName,
          viewTable: this.workspace.tableOf(STANDARD_OBJECT_IDS.view),
          relations: inverses.map(({ owner, field }) => {
            const column = joinColumnName(field.name);
            return {
              objectId: owner.id,
              tableName: owner.tableName,
              fieldId: field.id,
              column,
              index: indexName(owner.tableName, [column], false),
            };
          }),
          enumTypes: object.fields.flatMap((field) => this.workspace.enumTypesOf(field, object.tableName)),
        },
      ],
      preflight: [],
    };
  }
}
