import { ForeignKeyDefinition } from '../changes';
import { Hazard } from '../plan';
import { Comparison, Phase } from './comparison';

/** Compares the foreign keys of many-to-one relations with the live ones (after this plan's renames). */
export class ForeignKeyComparator {
  constructor(private readonly comparison: Comparison) {}

  compare(): void {
    const { desired, actual, renamedForeignKeys } = this.comparison;
    const live = new Map(actual.live.foreignKeys.map((fk) => [renamedForeignKeys.get(fk.name) ?? fk.name, fk]));
    for (const object of this.comparison.comparedObjects()) {
      const name = object.declared.nameSingular;
      if (this.comparison.isRefused(name)) continue;
      for (const field of object.fields.filter((candidate) => candidate.foreignKey)) {
        const fk = field.foreignKey!;
        const target = desired.objects.find((candidate) => candidate.declared.nameSingular === fk.targetTable);
        if (!target) continue;
        const existing = live.get(fk.name);
        if (existing && existing.onDelete === fk.onDelete && existing.targetTable === target.tableName) continue;
        const foreignKey: ForeignKeyDefinition = { name: fk.name, column: fk.column, targetTable: target.tableName, onDelete: fk.onDelete };
        // Adding the constraint scans the table under a lock that blocks writers.
        const scansRows = this.comparison.hazards.isLarge(object.tableName);
        this.comparison.add(Phase.FOREIGN_KEY, {
          kind: existing ? 'UPDATE_FOREIGN_KEY' : 'CREATE_FOREIGN_KEY',
          object: name,
          field: field.declared.name,
          hazard: scansRows ? Hazard.BLOCKS_WRITES : null,
          summary: existing
            ? `change foreign key ${name}.${fk.column} -> ${target.tableName}: on delete ${existing.onDelete} -> ${fk.onDelete}`
            : `create foreign key ${name}.${fk.column} -> ${target.tableName} (on delete ${fk.onDelete})`,
          changes: [
            existing
              ? { kind: 'updateForeignKey', tableName: object.tableName, replaces: existing.name, foreignKey }
              : { kind: 'createForeignKey', tableName: object.tableName, foreignKey },
          ],
        });
      }
    }
  }
}
