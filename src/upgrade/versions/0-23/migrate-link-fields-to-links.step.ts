import { FieldType } from '../../../declarations/field-type';
import { qualified, quoteIdentifier } from '../../../database/sql';
import { COMPANY_STANDARD_FIELD_IDS } from '../../../standard-objects/standard-ids.constant';
import { ActualField, ActualObject, ActualState, actualFieldColumns } from '../../../metadata/actual-state';
import { ActualStateRepository } from '../../../metadata/actual-state.repository';
import { moveInBatches } from '../../steps/batched-move';
import { ColumnSyncTrigger } from '../../steps/column-sync-trigger';
import { StepReport, UpgradePreflightContext, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';
import { COMPANY, snapshotField } from './snapshot-shapes';
import { compositeColumnName } from '../../../metadata/column-layout';

const standardLinks = [COMPANY_STANDARD_FIELD_IDS.domainName, COMPANY_STANDARD_FIELD_IDS.linkedinLink].map((id) => ({
  from: snapshotField('0.22', COMPANY, id),
  to: snapshotField('0.23', COMPANY, id),
}));

/** A bare domain (no scheme) becomes https://domain; empty stays empty, NULL stays NULL. */
const urlSql = (column: string): string =>
  `CASE WHEN ${column} IS NULL OR ${column} = '' THEN ${column} WHEN ${column} ~* '^[a-z][a-z0-9+.-]*://' THEN ${column} ELSE 'https://' || ${column} END`;

/** The LINKS field a LINK field becomes, and the step's error when another field (or a column of one) is in its way. */
const target = (object: ActualObject, field: ActualField) => {
  const standard =
    !field.isCustom && object.standardId === COMPANY ? standardLinks.find((link) => link.from.standardId === field.standardId) : undefined;
  const name = standard?.to.name ?? field.name;
  const columns = ['primaryLinkUrl', 'primaryLinkLabel', 'secondaryLinks'].map((subfield) => compositeColumnName(name, subfield));
  const taken = (other: ActualField) => [other.name, ...actualFieldColumns(other, object.tableName).map((column) => column.name)];
  const clash = object.fields.find((other) => other !== field && taken(other).some((used) => used === name || columns.includes(used)));
  const error = clash
    ? new Error(
        `${object.nameSingular}.${field.name} cannot become ${name} (LINKS): field "${clash.name}" is in the way; rename it, then run the step again`,
      )
    : null;
  return { name, error };
};

/** Every LINK field another field is in the way of, as the step's error. */
const clashes = (state: ActualState): Error[] =>
  state.objects.flatMap((object) =>
    object.fields.filter((field) => field.type === FieldType.LINK).flatMap((field) => target(object, field).error ?? []),
  );

/**
 * LINK -> LINKS for Company `domainName`, `linkedinLink` and every custom LINK field: label and
 * url move to the primary link, in batches; the field keeps its id; old columns dropped at the end.
 */
export const migrateLinkFieldsToLinks: UpgradeStep = {
  version: '0.23',
  name: 'migrate-link-fields-to-links',
  phase: 'before-sync',
  description: 'Move LINK fields (Company domainName, linkedinLink and custom ones) to the LINKS type with their values',
  definition: {
    revision: 1,
    standard: standardLinks.map(({ from, to }) => ({ standardId: from.standardId, from: from.type, to: to.type, name: to.name })),
    custom: { type: FieldType.LINK },
    url: 'bare domain -> https://domain',
  },
  async preflight({ state }: UpgradePreflightContext): Promise<string[]> {
    return clashes(state).map((error) => error.message);
  },
  async run(context: UpgradeStepContext): Promise<StepReport> {
    const report: StepReport = { rowsAffected: 0, notes: [], maxBatchMs: 0 };
    const actual = await new ActualStateRepository(context.connection.manager).readForPlanning(
      context.workspace.id,
      context.workspace.schemaName,
    );
    // Every field in the way is reported before anything moves: its values would be overwritten.
    const [clash] = clashes(actual);
    if (clash) throw clash;
    for (const object of actual.objects) {
      for (const field of object.fields.filter((candidate) => candidate.type === FieldType.LINK)) {
        const { name } = target(object, field);
        const table = qualified(context.workspace.schemaName, object.tableName);
        const oldUrl = quoteIdentifier(compositeColumnName(field.name, 'url'));
        const oldLabel = quoteIdentifier(compositeColumnName(field.name, 'label'));
        const url = quoteIdentifier(compositeColumnName(name, 'primaryLinkUrl'));
        const label = quoteIdentifier(compositeColumnName(name, 'primaryLinkLabel'));
        const secondary = quoteIdentifier(compositeColumnName(name, 'secondaryLinks'));
        const secondaryValue = (row: string) =>
          `CASE WHEN ${row}.${oldUrl} IS NULL AND ${row}.${oldLabel} IS NULL THEN NULL ELSE '[]'::jsonb END`;
        const trigger = new ColumnSyncTrigger(
          context.workspace.schemaName,
          object.tableName,
          `NEW.${url} := ${urlSql(`NEW.${oldUrl}`)}; NEW.${label} := NEW.${oldLabel}; NEW.${secondary} := ${secondaryValue('NEW')};`,
          [compositeColumnName(field.name, 'url'), compositeColumnName(field.name, 'label')],
          field.id,
        );
        await context.transaction(async (manager) => {
          await manager.query(
            `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${url} text, ADD COLUMN IF NOT EXISTS ${label} text, ADD COLUMN IF NOT EXISTS ${secondary} jsonb`,
          );
          await trigger.install(manager);
        });
        const assignments = `${url} = ${urlSql(`t.${oldUrl}`)}, ${label} = t.${oldLabel}, ${secondary} = ${secondaryValue('t')}`;
        const moved = await moveInBatches(context, `field:${field.id}`, table, assignments);
        report.maxBatchMs = Math.max(report.maxBatchMs, moved.maxBatchMs);
        await context.transaction(async (manager) => {
          // The trigger kept every write since the move began in step: switch the field over.
          await trigger.remove(manager);
          await manager.query(
            `UPDATE metadata."fieldMetadata" SET "type" = $1, "name" = $2, "defaultValue" = NULL, "updatedAt" = now() WHERE "id" = $3`,
            [FieldType.LINKS, name, field.id],
          );
          await manager.query(`ALTER TABLE ${table} DROP COLUMN ${oldUrl}, DROP COLUMN ${oldLabel}`);
          await context
            .ledger(manager)
            .appendLog(context.entry.id, [{ field: `${object.nameSingular}.${field.name}`, to: 'LINKS', rows: moved.rows }]);
        });
        report.rowsAffected += moved.rows;
        report.notes.push(`${object.nameSingular}.${field.name} -> LINKS: ${moved.rows} row(s) in ${moved.batches} batch(es)`);
      }
    }
    if (report.notes.length === 0) report.notes.push('no LINK field left');
    return report;
  },
};
