import { ActualObject } from '../../metadata/actual-state';
import { IndexRow } from '../changes';
import { DesiredObject, IndexSpec } from '../desired-state';
import { Hazard } from '../plan';
import { Comparison, Phase } from './comparison';
import { sameJson } from './same-json';

/** Compares the declared indexes of each object with its index rows and the live (valid) indexes. */
export class IndexComparator {
  constructor(private readonly comparison: Comparison) {}

  compare(matches: Map<DesiredObject, ActualObject>): void {
    const { actual } = this.comparison;
    for (const object of this.comparison.comparedObjects()) {
      const name = object.declared.nameSingular;
      const match = matches.get(object);
      const objectId = this.comparison.ids.object(name)!;
      if (!match && this.comparison.isRefused(name)) continue;
      const existing = actual.indexes.filter((index) => index.objectMetadataId === objectId && !index.isCustom);
      const desiredNames = new Set(object.indexes.map((index) => index.name));
      for (const index of existing.filter((candidate) => !desiredNames.has(candidate.name))) {
        this.comparison.add(Phase.RENAME, {
          kind: 'DROP_INDEX',
          object: name,
          field: null,
          summary: `drop index ${index.name}`,
          changes: [{ kind: 'dropIndex', name: index.name, indexId: index.id }],
        });
      }
      for (const index of object.indexes) {
        const current = existing.find((candidate) => candidate.name === index.name);
        const liveIndex = actual.live.indexes.find((candidate) => candidate.name === index.name);
        if (
          current &&
          liveIndex?.isValid &&
          sameJson(current.columns, index.columns) &&
          current.isUnique === index.isUnique &&
          (current.whereClause ?? null) === index.where
        ) {
          continue;
        }
        this.create(object, objectId, index, current?.id ?? null, !!match);
      }
    }
  }

  private create(object: DesiredObject, objectId: string, index: IndexSpec, metadataId: string | null, tableExists: boolean): void {
    const row: IndexRow = {
      id: metadataId ?? this.comparison.ids.newId('index', object.declared.standardId, index.name),
      objectMetadataId: objectId,
      name: index.name,
      columns: index.columns,
      isUnique: index.isUnique,
      whereClause: index.where,
      isCustom: false,
    };
    this.comparison.add(Phase.INDEX, {
      kind: 'CREATE_INDEX',
      object: object.declared.nameSingular,
      field: null,
      hazard: tableExists && this.comparison.hazards.isLarge(object.tableName) ? Hazard.BLOCKS_WRITES : null,
      summary: `create ${index.isUnique ? 'unique ' : ''}index ${index.name} on ${object.tableName} (${index.columns.join(', ')})`,
      changes: [
        {
          kind: 'createIndex',
          tableName: object.tableName,
          index,
          replacesLiveIndex: this.comparison.actual.live.indexes.some((candidate) => candidate.name === index.name),
          row,
          rowExists: metadataId !== null,
        },
      ],
      preflight:
        index.isUnique && tableExists
          ? [
              {
                kind: 'NO_DUPLICATES',
                table: object.tableName,
                columns: index.columns,
                where: index.where,
                remedy: `make the values of ${index.columns.join(', ')} on ${object.declared.nameSingular} unique`,
              },
            ]
          : [],
    });
  }
}
