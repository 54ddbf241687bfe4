import { FieldType } from '../../../declarations/field-type';
import { quoteIdentifier } from '../../../database/sql';
import { ActualField, ActualObject, ActualState } from '../../../metadata/actual-state';
import { ActualStateRepository } from '../../../metadata/actual-state.repository';
import { compositeColumnName } from '../../../metadata/column-layout';
import { getVersionSnapshot } from '../../../standard-objects/version-snapshots';
import { convertNoteBody } from '../../converters/note-body.converter';
import { moveConverted, refillSearchColumns, searchFilledNotes } from '../../steps/converted-move';
import { fieldInTheWay } from '../../steps/field-in-the-way';
import { StepReport, UpgradePreflightContext, UpgradeStep, UpgradeStepContext } from '../../upgrade-step';
import { NOTE, snapshotField, snapshotFieldNamed } from './snapshot-shapes';

const from = snapshotFieldNamed('0.24', NOTE, 'body');
const to = snapshotField('0.25', NOTE, from.standardId);

const SUBFIELDS = ['blocknote', 'markdown'] as const;

/** Note's TEXT `body` field as the workspace holds it, if it is still there. */
const bodyField = (object: ActualObject): ActualField | undefined =>
  object.fields.find((field) => !field.isCustom && field.standardId === from.standardId && field.type === FieldType.TEXT);

const clashes = (state: ActualState): Error[] => {
  const note = state.objects.find((object) => !object.isCustom && object.standardId === NOTE);
  const body = note && bodyField(note);
  if (!note || !body) return [];
  const columns = SUBFIELDS.map((subfield) => compositeColumnName(to.name, subfield));
  const error = fieldInTheWay(note, body, to.name, FieldType.RICH_TEXT_V2, columns);
  return error ? [error] : [];
};

/**
 * Note `body` (TEXT) -> `bodyV2` (RICH_TEXT_V2), each body converted in Node: a BlockNote document
 * is kept as the blocknote and rendered to markdown; any other text (invalid JSON included) is kept
 * as the markdown and becomes paragraphs of blocknote. NULL stays NULL. The field row keeps its id;
 * the old column is dropped at the end.
 */
export const migrateNoteBodyToRichText: UpgradeStep = {
  version: '0.25',
  name: 'migrate-note-body-to-rich-text',
  phase: 'before-sync',
  description: 'Move Note body (TEXT) to bodyV2 (RICH_TEXT_V2), each body converted to BlockNote and markdown',
  definition: {
    revision: 2,
    from: { standardId: from.standardId, name: from.name, type: from.type },
    to: { name: to.name, type: to.type, subfields: [...SUBFIELDS] },
    conversion: 'BlockNote documents kept and rendered to markdown; other text kept as markdown, paragraphs in BlockNote',
    search: 'the 0.25 search field of note, when missing, added before the batches, which fill it',
  },
  claims: [from.standardId],
  async preflight({ state }: UpgradePreflightContext): Promise<string[]> {
    return clashes(state).map((error) => error.message);
  },
  async run(context: UpgradeStepContext): Promise<StepReport> {
    const report: StepReport = { rowsAffected: 0, notes: [], maxBatchMs: 0 };
    const schema = context.workspace.schemaName;
    const actual = await new ActualStateRepository(context.connection.manager).readForPlanning(context.workspace.id, schema);
    const [clash] = clashes(actual);
    if (clash) throw clash;
    const note = actual.objects.find((object) => !object.isCustom && object.standardId === NOTE);
    const body = note && bodyField(note);
    if (note && body) {
      const [blocknote, markdown] = SUBFIELDS.map((subfield) => compositeColumnName(to.name, subfield));
      const old = `NEW.${quoteIdentifier(body.name)}`;
      const moved = await moveConverted(context, {
        object: note,
        field: body,
        newName: to.name,
        newType: FieldType.RICH_TEXT_V2,
        newLabel: to.label,
        newColumns: [
          { name: blocknote, type: 'text' },
          { name: markdown, type: 'text' },
        ],
        convert: (rows) => {
          const converted = rows.map((row) => convertNoteBody(row.value, row.id));
          return [converted.map((value) => value.blocknote), converted.map((value) => value.markdown)];
        },
        rawAssignments: `NEW.${quoteIdentifier(markdown)} := ${old}; NEW.${quoteIdentifier(blocknote)} := NULL;`,
        searchFieldsOf: getVersionSnapshot('0.25'),
      });
      report.rowsAffected += moved.rows;
      report.maxBatchMs = moved.maxBatchMs;
      report.notes.push(
        `note.${body.name} -> ${to.name} (RICH_TEXT_V2): ${moved.rows} row(s) in ${moved.batches} batch(es)` +
          (moved.rewritten > 0 ? `, ${moved.rewritten} written during the move converted again` : ''),
      );
      report.notes.push(...searchFilledNotes(moved));
    }
    report.notes.push(...(await refillSearchColumns(context)));
    if (report.notes.length === 0) report.notes.push('no TEXT note body left');
    return report;
  },
};
