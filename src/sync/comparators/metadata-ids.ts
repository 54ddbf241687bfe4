import { DeclaredRelation } from '../../declarations/declared-schema';
import { ActualObject, ActualState } from '../../metadata/actual-state';
import { FieldRow } from '../changes';
import { deterministicUuid } from '../deterministic-id';
import { DesiredField, DesiredObject, DesiredState } from '../desired-state';

/**
 * The ids of a plan's metadata rows: matched rows keep theirs, new ones get ids derived from the
 * workspace and the standardIds, so that a dry run shows the ids the real run writes. Objects are
 * known by name, fields by object and field name.
 */
export class MetadataIds {
  private readonly used: Set<string>;
  private readonly objects = new Map<string, string>();
  private readonly fields = new Map<string, string>();

  constructor(
    private readonly workspaceId: string,
    actualObjects: ActualObject[],
  ) {
    this.used = new Set(actualObjects.flatMap((object) => [object.id, ...object.fields.map((field) => field.id)]));
  }

  /** An id derived from `parts`, unique among the workspace's rows and this plan's. */
  newId(...parts: string[]): string {
    let id = deterministicUuid(this.workspaceId, ...parts);
    for (let attempt = 1; this.used.has(id); attempt += 1) {
      id = deterministicUuid(this.workspaceId, ...parts, String(attempt));
    }
    this.used.add(id);
    return id;
  }

  /** The id of a new standard field of the object known by `objectKey` (its standardId, or a custom object's id). */
  newFieldId(objectKey: string, field: DesiredField): string {
    return this.newId('field', objectKey, field.declared.standardId, field.declared.type);
  }

  setObject(name: string, id: string): void {
    this.objects.set(name, id);
  }

  object(name: string): string | undefined {
    return this.objects.get(name);
  }

  setField(objectName: string, fieldName: string, id: string): void {
    this.fields.set(`${objectName}.${fieldName}`, id);
  }

  field(objectName: string, fieldName: string): string | undefined {
    return this.fields.get(`${objectName}.${fieldName}`);
  }

  /** What a relation field's row points at: the target object, and the inverse field there. */
  relationTargets(relation: DeclaredRelation | null): Pick<FieldRow, 'relationTargetObjectMetadataId' | 'relationTargetFieldMetadataId'> {
    return {
      relationTargetObjectMetadataId: relation ? (this.object(relation.targetObject) ?? null) : null,
      relationTargetFieldMetadataId: relation?.inverseFieldName
        ? (this.field(relation.targetObject, relation.inverseFieldName) ?? null)
        : null,
    };
  }

  /**
   * Matches desired objects and fields to actual ones by standardId and gives new ones their ids.
   * Of an object `compareOnly` leaves out, only the fields read with it get ids: nothing refers to
   * its other fields.
   */
  assign(desired: DesiredState, actual: ActualState, compareOnly?: ReadonlySet<string>): Map<DesiredObject, ActualObject> {
    const standardObjects = new Map(
      actual.objects.filter((object) => !object.isCustom && object.standardId).map((object) => [object.standardId!, object]),
    );
    const matches = new Map<DesiredObject, ActualObject>();
    for (const object of desired.objects) {
      const match = standardObjects.get(object.declared.standardId);
      if (match) matches.set(object, match);
      this.setObject(object.declared.nameSingular, match?.id ?? this.newId('object', object.declared.standardId));
      const referredOnly = compareOnly !== undefined && !compareOnly.has(object.declared.standardId);
      for (const field of object.fields) {
        const existing = match?.fields.find((candidate) => !candidate.isCustom && candidate.standardId === field.declared.standardId);
        if (!existing && referredOnly) continue;
        this.setField(
          object.declared.nameSingular,
          field.declared.name,
          existing?.id ?? this.newFieldId(object.declared.standardId, field),
        );
      }
    }
    return matches;
  }

  /** Gives the shared fields of a custom object their ids (those it has, or new ones). */
  assignShared(object: ActualObject, fields: DesiredField[]): void {
    for (const field of fields) {
      const existing = object.fields.find((candidate) => !candidate.isCustom && candidate.standardId === field.declared.standardId);
      this.setField(object.nameSingular, field.declared.name, existing?.id ?? this.newFieldId(object.id, field));
    }
  }
}
