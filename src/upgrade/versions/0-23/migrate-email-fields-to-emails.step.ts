import { FieldType } from '../../../declarations/field-type';
import { qualified, quoteIdentifier } from '../../../database/sql';
import { PERSON_STANDARD_FIELD_IDS } from '../../../standard-objects/standard-ids.constant';
import { ActualField, ActualObject, ActualState } from '../../../metadata/actual-state';
import { ActualStateRepository } from '../../../metadata/actual-state.repository';
import { moveInBatches } from '../../steps/batched-move';
import { fieldInTheWay } from '../../steps/field-in-the-way';
import { ColumnSyncTrigger } from '../../steps/column-sync-trigger';
import { StepReport, UpgradePreflightContext, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';
import { PERSON, snapshotField } from './snapshot-shapes';
import { compositeColumnName } from '../../../metadata/column-layout';

const from = snapshotField('0.22', PERSON, PERSON_STANDARD_FIELD_IDS.emails);
const to = snapshotField('0.23', PERSON, PERSON_STANDARD_FIELD_IDS.emails);

/** The EMAILS field an EMAIL field becomes, and the step's error when another field is in its way. */
const target = (object: ActualObject, field: ActualField) => {
  const isStandardEmail = !field.isCustom && field.standardId === from.standardId && object.standardId === PERSON;
  const newName = isStandardEmail ? to.name : field.name;
  const primary = compositeColumnName(newName, 'primaryEmail');
  const additional = compositeColumnName(newName, 'additionalEmails');
  const error = fieldInTheWay(object, field, newName, FieldType.EMAILS, [primary, additional]);
  return { newName, primary, additional, error };
};

/** Every EMAIL field another field is in the way of, as the step's error. */
const clashes = (state: ActualState): Error[] =>
  state.objects.flatMap((object) =>
    object.fields.filter((field) => field.type === FieldType.EMAIL).flatMap((field) => target(object, field).error ?? []),
  );

/**
 * EMAIL -> EMAILS for Person `email` and every custom EMAIL field: values move to
 * `<name>PrimaryEmail` in batches, `additionalEmails` becomes empty, the field row keeps its id
 * (so views, filters and sorts keep pointing at it), and the old column is dropped at the end.
 */
export const migrateEmailFieldsToEmails: UpgradeStep = {
  version: '0.23',
  name: 'migrate-email-fields-to-emails',
  phase: 'before-sync',
  description: 'Move EMAIL fields (Person email and custom ones) to the EMAILS type with their values',
  definition: {
    revision: 1,
    from: { standardId: from.standardId, name: from.name, type: from.type },
    to: { name: to.name, type: to.type, subfields: ['primaryEmail', 'additionalEmails'] },
    custom: { type: FieldType.EMAIL },
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
    const schema = context.workspace.schemaName;
    // Every field in the way is reported before anything moves: nothing is half-applied.
    const [clash] = clashes(actual);
    if (clash) throw clash;
    for (const object of actual.objects) {
      for (const field of object.fields.filter((candidate) => candidate.type === FieldType.EMAIL)) {
        const { newName, primary, additional } = target(object, field);
        const table = qualified(schema, object.tableName);
        const old = quoteIdentifier(field.name);
        const additionalValue = (row: string) => `CASE WHEN ${row}.${old} IS NULL THEN NULL ELSE '[]'::jsonb END`;
        const trigger = new ColumnSyncTrigger(
          schema,
          object.tableName,
          `NEW.${quoteIdentifier(primary)} := NEW.${old}; NEW.${quoteIdentifier(additional)} := ${additionalValue('NEW')};`,
          [field.name],
          field.id,
        );
        await context.transaction(async (manager) => {
          await manager.query(
            `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${quoteIdentifier(primary)} text, ADD COLUMN IF NOT EXISTS ${quoteIdentifier(additional)} jsonb`,
          );
          await trigger.install(manager);
        });
        const assignments = `${quoteIdentifier(primary)} = t.${old}, ${quoteIdentifier(additional)} = ${additionalValue('t')}`;
        const moved = await moveInBatches(context, `field:${field.id}`, table, assignments);
        report.maxBatchMs = Math.max(report.maxBatchMs, moved.maxBatchMs);
        await context.transaction(async (manager) => {
          // The trigger kept every write since the move began in step: switch the field over.
          await trigger.remove(manager);
          await manager.query(
            `UPDATE metadata."fieldMetadata" SET "type" = $1, "name" = $2, "label" = CASE WHEN "isCustom" THEN "label" ELSE $3 END,
                    "defaultValue" = NULL, "updatedAt" = now() WHERE "id" = $4`,
            [FieldType.EMAILS, newName, to.label, field.id],
          );
          await manager.query(`ALTER TABLE ${table} DROP COLUMN ${old}`);
          await context
            .ledger(manager)
            .appendLog(context.entry.id, [
              { field: `${object.nameSingular}.${field.name}`, to: `${object.nameSingular}.${newName}`, rows: moved.rows },
            ]);
        });
        report.rowsAffected += moved.rows;
        report.notes.push(
          `${object.nameSingular}.${field.name} -> ${newName} (EMAILS): ${moved.rows} row(s) in ${moved.batches} batch(es)`,
        );
      }
    }
    if (report.notes.length === 0) report.notes.push('no EMAIL field left');
    return report;
  },
};
