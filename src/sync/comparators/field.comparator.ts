import { DeclaredField, DeclaredSelectOption } from '../../declarations/declared-schema';
import { FieldType, RelationType } from '../../declarations/field-type';
import { getFieldTypeDefinition } from '../../declarations/field-type.registry';
import { searchFieldSources } from '../../declarations/search-fields';
import { ActualField, ActualObject, actualFieldColumns, VIEW_OBJECTS_WITH_FIELDS } from '../../metadata/actual-state';
import { foreignKeyName } from '../../metadata/column-layout';
import { STANDARD_OBJECT_IDS } from '../../standard-objects/standard-ids.constant';
import { searchFunctionName, searchTriggerName, searchVectorSpec } from '../../metadata/search-vector';
import {
  ColumnRename,
  declaredFieldRow,
  EnumValuesChange,
  enumTypesOf,
  FieldColumns,
  FieldRow,
  Rename,
  RenameViewFilterValues,
  UpdateField,
} from '../changes';
import { DesiredField } from '../desired-state';
import { Hazard, PreflightCheck } from '../plan';
import { Comparison, Phase } from './comparison';
import { sameJson } from './same-json';

/**
 * The enum labels to rename: options with an id whose value differs from the stored option of that
 * id, where the old label exists and the new one does not (a label cannot be renamed onto another).
 */
const optionRenames = (stored: DeclaredSelectOption[], declared: DeclaredSelectOption[], labels: string[]): Rename[] => {
  const renames: Rename[] = [];
  for (const option of declared.filter((candidate) => candidate.id !== undefined)) {
    const before = stored.find((candidate) => candidate.id === option.id);
    if (!before || before.value === option.value) continue;
    if (labels.includes(before.value) && !labels.includes(option.value)) renames.push({ from: before.value, to: option.value });
  }
  return renames;
};

/**
 * Compares the fields of an object with their declarations, matched by standardId: creates,
 * renames, updates, and turns custom (or drops, when DROPS_DATA is allowed) those that left.
 */
export class FieldComparator {
  constructor(private readonly comparison: Comparison) {}

  compare(
    objectName: string,
    tableName: string,
    actual: ActualObject,
    fields: DesiredField[],
    declaredFields: DeclaredField[],
    options: { keepUnmatched?: boolean } = {},
  ): void {
    const matched = new Set<ActualField>();
    const newFields: DesiredField[] = [];
    for (const field of fields) {
      const existing = actual.fields.find((candidate) => !candidate.isCustom && candidate.standardId === field.declared.standardId);
      if (!existing) {
        newFields.push(field);
        continue;
      }
      matched.add(existing);
      if (existing.type !== field.declared.type) {
        const command = this.comparison.options.upgradeCommand;
        const upgrade = command
          ? `run \`${command}\`, which migrates it with its data`
          : 'an upgrade command must migrate it with its data';
        this.comparison.refuse(
          Hazard.TYPE_CHANGE,
          objectName,
          existing.name,
          `field ${objectName}.${existing.name} changes type ${existing.type} -> ${field.declared.type}${existing.name !== field.declared.name ? ` (and name to ${field.declared.name})` : ''}; sync does not change types: ${upgrade}`,
        );
        continue;
      }
      if (existing.name !== field.declared.name) {
        this.rename(objectName, tableName, actual, existing, field);
      }
      this.update(objectName, tableName, existing, field);
      const settingsChanged = !sameJson(existing.settings, field.declared.settings);
      if (field.declared.type === FieldType.TS_VECTOR && existing.name === field.declared.name && !settingsChanged) {
        // A search column whose function or trigger was dropped by hand is no longer kept current: recreate both, fill the rows.
        if (this.searchVectorMissing(tableName, existing.name)) {
          this.searchVector(objectName, tableName, field.declared, declaredFields, { replaces: null, backfill: true });
        }
      } else if (field.declared.type === FieldType.TS_VECTOR) {
        // Sources renamed with their fields index the same values: only other sources or weights need the rows filled again.
        const indexed = (settings: Record<string, unknown> | null, of: Array<{ name: string; standardId: string | null }>) =>
          searchFieldSources(settings).map((source) => [
            of.find((f) => f.name === source.field)?.standardId ?? source.field,
            source.weight,
          ]);
        this.searchVector(objectName, tableName, field.declared, declaredFields, {
          replaces: existing.name !== field.declared.name ? searchFunctionName(tableName, existing.name) : null,
          backfill: !sameJson(indexed(existing.settings, actual.fields), indexed(field.declared.settings, declaredFields)),
        });
      }
    }
    for (const field of newFields) {
      this.create(objectName, tableName, actual, field, declaredFields);
    }
    if (options.keepUnmatched) return;
    for (const existing of actual.fields.filter((field) => !field.isCustom && !matched.has(field))) {
      this.remove(objectName, tableName, existing, declaredFields);
    }
  }

  /** The metadata row of a standard field (its id given already) on the object `objectId`. */
  rowOf(objectName: string, objectId: string, field: DesiredField): FieldRow {
    const { declared } = field;
    return declaredFieldRow(declared, {
      id: this.comparison.ids.field(objectName, declared.name)!,
      objectMetadataId: objectId,
      standardId: declared.standardId,
      isCustom: false,
      ...this.comparison.ids.relationTargets(declared.relation),
    });
  }

  create(objectName: string, tableName: string, actual: ActualObject, field: DesiredField, declaredFields: DeclaredField[] = []): void {
    const name = field.declared.name;
    const newColumns = new Set(field.columns.map((column) => column.name));
    const clash = actual.fields.find(
      (candidate) => candidate.name === name || actualFieldColumns(candidate, tableName).some((column) => newColumns.has(column.name)),
    );
    const liveClash = field.columns.find((column) => this.comparison.actual.live.tables.get(tableName)?.columns.has(column.name));
    if (clash || liveClash) {
      this.comparison.refuse(
        Hazard.NAME_CONFLICT,
        objectName,
        name,
        clash
          ? `the new standard field ${objectName}.${name} collides with the ${clash.isCustom ? 'custom ' : ''}field "${clash.name}"; rename the ${clash.isCustom ? 'custom ' : ''}field (for example to "${clash.name}Custom"), then run the sync again`
          : `the new standard field ${objectName}.${name} needs column "${liveClash!.name}", which already exists in table ${tableName} without metadata; run workspace:health and remove or rename that column, then run the sync again`,
      );
      return;
    }
    // A volatile default is computed for every existing row.
    const rewritesWithVolatileDefault = field.columns.some((column) => column.defaultSql === 'gen_random_uuid()');
    // A NOT NULL column without a default (a required relation) can only be added to an empty table.
    const required = field.columns.filter((column) => !column.isNullable && column.defaultSql === null);
    const preflight: PreflightCheck[] =
      this.comparison.actual.live.tables.has(tableName) && required.length > 0
        ? [
            {
              kind: 'NO_ROWS',
              table: tableName,
              columns: required.map((column) => column.name),
              remedy: `declare ${objectName}.${name} optional first, fill it on every record, then make it required`,
            },
          ]
        : [];
    this.comparison.add(Phase.FIELD, {
      kind: 'CREATE_FIELD',
      object: objectName,
      field: name,
      hazard: rewritesWithVolatileDefault && this.comparison.hazards.isLarge(tableName) ? Hazard.REWRITES_TABLE : null,
      summary: `create field ${objectName}.${name} (${field.declared.type}${field.declared.isActive ? '' : ', inactive'})`,
      changes: [
        {
          kind: 'createField',
          tableName,
          enumTypes: enumTypesOf(field.columns, field.enumValues),
          columns: field.columns,
          field: this.rowOf(objectName, actual.id, field),
        },
      ],
      preflight,
    });
    if (field.declared.type === FieldType.TS_VECTOR) {
      this.searchVector(objectName, tableName, field.declared, declaredFields, { replaces: null, backfill: true });
    }
  }

  /** Whether the live schema lacks the function or the trigger of an existing search column. */
  private searchVectorMissing(tableName: string, column: string): boolean {
    const { live } = this.comparison.actual;
    if (!live.exists || !live.tables.has(tableName)) return false;
    const functionName = searchFunctionName(tableName, column);
    return (
      !live.functions.includes(functionName) ||
      !live.triggers.some(
        (trigger) => trigger.table === tableName && trigger.name === searchTriggerName(column) && trigger.functionName === functionName,
      )
    );
  }

  /**
   * The trigger that keeps a search column current, after the columns it reads exist (and before
   * its GIN index is built); `backfill` computes it for the rows already there.
   */
  searchVector(
    objectName: string,
    tableName: string,
    field: DeclaredField,
    declaredFields: DeclaredField[],
    options: { replaces: string | null; backfill: boolean },
  ): void {
    const spec = searchVectorSpec(tableName, field, declaredFields);
    const sources = searchFieldSources(field.settings)
      .map((source) => `${source.field} (${source.weight})`)
      .join(', ');
    this.comparison.add(Phase.FOREIGN_KEY, {
      kind: 'SET_SEARCH_VECTOR',
      object: objectName,
      field: field.name,
      hazard: options.backfill && this.comparison.hazards.isLarge(tableName) ? Hazard.REWRITES_TABLE : null,
      summary: `keep search field ${objectName}.${field.name} current from ${sources || '(no field)'}${options.backfill ? ', filling existing rows' : ''}`,
      changes: [{ kind: 'setSearchVector', spec, replaces: options.replaces, backfill: options.backfill }],
    });
  }

  private rename(objectName: string, tableName: string, actual: ActualObject, existing: ActualField, field: DesiredField): void {
    const name = field.declared.name;
    const clash = actual.fields.find((candidate) => candidate !== existing && candidate.name === name);
    if (clash) {
      this.comparison.refuse(
        Hazard.NAME_CONFLICT,
        objectName,
        existing.name,
        `field ${objectName}.${existing.name} is renamed to "${name}", which the ${clash.isCustom ? 'custom ' : ''}field "${clash.name}" already uses; rename that field, then run the sync again`,
      );
      return;
    }
    const oldColumns = actualFieldColumns(existing, tableName);
    const columns: ColumnRename[] = [];
    oldColumns.forEach((column, index) => {
      const target = field.columns[index];
      if (!target || column.name === target.name) return;
      const renamesEnum =
        column.enumName && target.enumName && column.enumName !== target.enumName && this.comparison.actual.live.enums.has(column.enumName);
      columns.push({ from: column.name, to: target.name, enumType: renamesEnum ? { from: column.enumName!, to: target.enumName! } : null });
    });
    let foreignKey: Rename | null = null;
    if (existing.relationType === RelationType.MANY_TO_ONE && field.foreignKey) {
      const oldName = foreignKeyName(tableName, oldColumns[0].name);
      if (this.liveForeignKeyExists(oldName) && oldName !== field.foreignKey.name) {
        foreignKey = { from: oldName, to: field.foreignKey.name };
        this.comparison.renamedForeignKeys.set(oldName, field.foreignKey.name);
      }
    }
    this.comparison.add(Phase.RENAME, {
      kind: 'RENAME_FIELD',
      object: objectName,
      field: name,
      summary: `rename field ${objectName}.${existing.name} to ${name}`,
      changes: [{ kind: 'renameField', fieldId: existing.id, tableName, columns, foreignKey, set: { name } }],
    });
  }

  private update(objectName: string, tableName: string, existing: ActualField, field: DesiredField): void {
    const { declared } = field;
    const desiredValues: FieldColumns = {
      label: declared.label,
      description: declared.description,
      icon: declared.icon,
      isSystem: declared.isSystem,
      isNullable: declared.isNullable,
      isUnique: declared.isUnique,
      isDeprecated: false,
      defaultValue: declared.defaultValue,
      options: declared.options,
      settings: declared.settings,
      relationType: declared.relation?.type ?? null,
      ...this.comparison.ids.relationTargets(declared.relation),
      onDelete: declared.relation?.onDelete ?? null,
    };
    const changed = (Object.keys(desiredValues) as Array<keyof FieldColumns>).filter((key) => !sameJson(existing[key], desiredValues[key]));
    if (changed.length === 0) return;

    const change: UpdateField = {
      kind: 'updateField',
      fieldId: existing.id,
      tableName,
      set: Object.fromEntries(changed.map((key) => [key, desiredValues[key]])),
      nullability: null,
      enumValues: null,
      defaults: [],
    };
    const preflight: PreflightCheck[] = [];
    let hazard: Hazard | null = null;

    // A plain field's column, or a relation's foreign key (a composite's columns stay nullable).
    if (changed.includes('isNullable') && getFieldTypeDefinition(declared.type).kind !== 'composite' && field.columns.length === 1) {
      const column = field.columns[0].name;
      change.nullability = { column, isNullable: declared.isNullable };
      if (!declared.isNullable) {
        preflight.push({
          kind: 'NO_NULLS',
          table: tableName,
          columns: [column],
          remedy: `fill the empty values of ${objectName}.${declared.name}, or keep the field nullable`,
        });
        if (this.comparison.hazards.isLarge(tableName)) hazard = Hazard.BLOCKS_WRITES;
      }
    }
    const followers: RenameViewFilterValues[] = [];
    if (changed.includes('options') && field.enumValues && declared.type !== FieldType.RATING) {
      change.enumValues = this.enumValuesChange(objectName, tableName, existing, field, preflight);
      if (change.enumValues?.action === 'replace') hazard = Hazard.REWRITES_TABLE;
      // View filters name options by value: they follow a rename, or they would silently stop matching.
      const viewFilterTable = this.viewFilterTable();
      if (change.enumValues && change.enumValues.renamed.length > 0 && viewFilterTable) {
        followers.push({
          kind: 'renameViewFilterValues',
          table: viewFilterTable,
          fieldId: existing.id,
          renamed: change.enumValues.renamed,
        });
      }
    }
    // A replaced enum type has its column's default set again already.
    if (changed.includes('defaultValue') && change.enumValues?.action !== 'replace') {
      const oldColumns = actualFieldColumns({ ...existing, name: declared.name }, tableName);
      change.defaults = field.columns
        .filter((column, index) => column.defaultSql !== oldColumns[index]?.defaultSql)
        .map((column) => ({ column: column.name, defaultSql: column.defaultSql }));
    }
    this.comparison.add(Phase.FIELD, {
      kind: 'UPDATE_FIELD',
      object: objectName,
      field: declared.name,
      hazard,
      summary: `update field ${objectName}.${declared.name}: ${changed.join(', ')}`,
      changes: [change, ...followers],
      preflight,
    });
  }

  /**
   * Labels renamed (an option known by its id whose value changed), then new enum labels, or (when
   * some are removed) the type replaced, with the check that no value uses those.
   */
  private enumValuesChange(
    objectName: string,
    tableName: string,
    existing: ActualField,
    field: DesiredField,
    preflight: PreflightCheck[],
  ): EnumValuesChange | null {
    const column = field.columns[0];
    const values = field.enumValues!;
    const live = this.comparison.actual.live.enums.get(column.enumName!) ?? [];
    const renamed = optionRenames(existing.options ?? [], field.declared.options ?? [], live);
    const current = live.map((value) => renamed.find((rename) => rename.from === value)?.to ?? value);
    const removed = current.filter((value) => !values.includes(value));
    if (removed.length > 0) {
      preflight.push({
        kind: 'ONLY_VALUES',
        table: tableName,
        columns: [column.name],
        // The pre-flight reads the rows before the renames.
        values: [...values, ...renamed.map((rename) => rename.from)],
        isArray: column.type === 'enum[]',
        remedy: `change the records of ${objectName}.${field.declared.name} that hold ${removed.join(', ')} to a remaining option, or keep those options`,
      });
      return {
        action: 'replace',
        enumType: column.enumName!,
        renamed,
        column: column.name,
        isArray: column.type === 'enum[]',
        values,
        defaultSql: column.defaultSql,
      };
    }
    // Enum labels sort in creation order: place each new one before the next declared option
    // that exists, so an upgraded workspace sorts like a new one.
    const labels = [...current];
    const added: Array<{ value: string; before: string | null }> = [];
    values.forEach((value, index) => {
      if (labels.includes(value)) return;
      const next = values.slice(index + 1).find((candidate) => labels.includes(candidate));
      added.push({ value, before: next ?? null });
      labels.splice(next ? labels.indexOf(next) : labels.length, 0, value);
    });
    return added.length > 0 || renamed.length > 0 ? { action: 'add', enumType: column.enumName!, renamed, added } : null;
  }

  /** The workspace's viewFilter table, when it has one. */
  private viewFilterTable(): string | null {
    const { actual } = this.comparison;
    const object = actual.objects.find((candidate) => !candidate.isCustom && candidate.standardId === STANDARD_OBJECT_IDS.viewFilter);
    return object && actual.live.tables.get(object.tableName)?.columns.has('fieldMetadataId') ? object.tableName : null;
  }

  private remove(objectName: string, tableName: string, existing: ActualField, declaredFields: DeclaredField[]): void {
    const deprecated = declaredFields.some((field) => field.isDeprecated && field.standardId === existing.standardId);
    if (!deprecated && this.comparison.hazards.allows(Hazard.DROPS_DATA)) {
      const { actual } = this.comparison;
      const columns = actualFieldColumns(existing, tableName);
      // Views, filters and sorts that show the field would point at nothing: they go with it.
      const viewTables = actual.objects
        .filter((object) => !object.isCustom && object.standardId !== null && VIEW_OBJECTS_WITH_FIELDS.includes(object.standardId))
        .filter((object) => actual.live.tables.get(object.tableName)?.columns.has('fieldMetadataId'))
        .map((object) => object.tableName);
      this.comparison.add(Phase.DROP, {
        kind: 'DROP_FIELD',
        object: objectName,
        field: existing.name,
        hazard: Hazard.DROPS_DATA,
        summary: `drop field ${objectName}.${existing.name} and its column(s) ${columns.map((c) => c.name).join(', ') || '(none)'}`,
        changes: [
          {
            kind: 'dropField',
            objectId: existing.objectMetadataId,
            fieldId: existing.id,
            tableName,
            columns: columns.map((column) => column.name),
            enumTypes: columns.flatMap((column) => (column.enumName && actual.live.enums.has(column.enumName) ? [column.enumName] : [])),
            viewTables,
            withIndexRows: true,
            ...(existing.type === FieldType.TS_VECTOR ? { functions: [searchFunctionName(tableName, existing.name)] } : {}),
          },
        ],
      });
      return;
    }
    this.comparison.add(Phase.FIELD, {
      kind: 'TURN_FIELD_CUSTOM',
      object: objectName,
      field: existing.name,
      summary: deprecated
        ? `field ${objectName}.${existing.name} is deprecated: kept, with its data, as a custom field`
        : `field ${objectName}.${existing.name} is no longer declared: kept, with its data, as a custom field (--allow-hazards DROPS_DATA drops it)`,
      changes: [{ kind: 'turnFieldCustom', fieldId: existing.id, isDeprecated: deprecated }],
    });
  }

  private liveForeignKeyExists(name: string): boolean {
    return this.comparison.actual.live.foreignKeys.some((candidate) => candidate.name === name);
  }
}
