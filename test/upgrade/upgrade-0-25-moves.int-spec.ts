import { randomUUID } from 'node:crypto';

import { CustomMetadataService } from '../../src/custom-metadata/custom-metadata.service';
import { WorkspaceRepository, WorkspaceRow } from '../../src/metadata/workspace.repository';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { BLOCKNOTE_CASES, TEXT_CASES } from '../../src/upgrade/converters/note-body.corpus.spec-support';
import { PHONE_CORPUS, PhoneCorpusEntry } from '../../src/upgrade/converters/phone.corpus.spec-support';
import { PHONE_UNPARSED_REASONS } from '../../src/upgrade/converters/phone.converter';
import { UpgradeRunner } from '../../src/upgrade/upgrade.runner';
import { TaskProgress } from '../../src/upgrade/upgrade-step';
import { UNPARSED_LISTED } from '../../src/upgrade/versions/0-25/migrate-phone-fields-to-phones.step';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { tableData } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import { staleSearchVectors } from './search-vectors.fixtures';
import { fieldRow, liveColumns, standardParts, workspaceVersion } from './upgrade-0-23.fixtures';

/**
 * The data moves of 0.25 on real workspaces: the phone corpus through the PHONE -> PHONES step
 * value by value in every default country it names, the note corpus through the TEXT ->
 * RICH_TEXT_V2 step, custom PHONE fields of standard and custom objects, views, filters and sorts
 * kept on their fields, old columns gone, fields converged with a workspace created at 0.25, and
 * a field in the way refused before anything is written.
 */

const PHONE_STEP = 'migrate-phone-fields-to-phones';

describe('the data moves of upgrade-0.25', () => {
  const db = useTestDatabase();
  const declared = buildStandardDeclarations();

  const createWorkspace = async (displayName: string, version: string, defaultCountry?: string): Promise<WorkspaceRow> =>
    (await new WorkspaceCreationService(db.dataSource, declared).create({ displayName, version, prefill: false, defaultCountry }))
      .workspace;

  const reload = async (id: string): Promise<WorkspaceRow> => (await new WorkspaceRepository(db.dataSource.manager).findById(id))!;

  const ledgerLog = async (workspaceId: string, step: string): Promise<Array<Record<string, unknown>>> =>
    (await db.client.query(`SELECT "log" FROM core."upgradeLedger" WHERE "workspaceId" = $1 AND "step" = $2`, [workspaceId, step])).rows[0]
      .log;

  describe('the phone corpus, value by value, in each default country it names (none included)', () => {
    const countries = [...new Set(PHONE_CORPUS.map((entry) => entry[1]))].sort();

    it.each(countries)('default country "%s"', async (country) => {
      // Person phone is NOT NULL: NULL goes through the custom fields below.
      const entries: PhoneCorpusEntry[] = PHONE_CORPUS.filter((entry) => entry[1] === country && entry[0] !== null);
      const workspace = await createWorkspace(`Phones ${country || 'none'}`, '0.24', country || undefined);
      const ids = entries.map(() => randomUUID());
      await db.client.query(`INSERT INTO "${workspace.schemaName}".person ("id", "phone") SELECT * FROM unnest($1::uuid[], $2::text[])`, [
        ids,
        entries.map((entry) => entry[0]),
      ]);
      const progress: TaskProgress[] = [];
      const outcome = await new UpgradeRunner(db.dataSource).upgrade(workspace, '0.25', {
        onlyStep: PHONE_STEP,
        batchSize: 16,
        onProgress: (report) => progress.push(report),
      });
      expect({ status: outcome.status, message: outcome.message }).toEqual({ status: 'upgraded', message: null });

      const rows = new Map<string, { number: string | null; code: string | null; additional: unknown }>(
        (
          await db.client.query(
            `SELECT "id" AS key, "phonesPrimaryPhoneNumber" AS number, "phonesPrimaryPhoneCountryCode" AS code, "phonesAdditionalPhones" AS additional
               FROM "${workspace.schemaName}".person`,
          )
        ).rows.map(({ key, ...row }) => [key, row]),
      );
      const expected = entries.map(([raw, , number, code]) => ({ raw, number, code, additional: raw === null ? null : [] }));
      expect(entries.map(([raw], index) => ({ raw, ...rows.get(ids[index]) }))).toEqual(expected);

      const verbatim = entries.flatMap((entry, index) => (entry[4] ? [{ id: ids[index], value: entry[0], reason: entry[4] }] : []));
      const [log] = (await ledgerLog(workspace.id, PHONE_STEP)).filter((entry) => entry.keptVerbatim !== undefined);
      expect(log.field).toBe('person.phone');
      expect(log.keptVerbatim).toBe(verbatim.length);
      const listed = [...verbatim].sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, UNPARSED_LISTED);
      expect(log.listed).toEqual(listed.map((entry) => ({ ...entry, why: PHONE_UNPARSED_REASONS[entry.reason] })));
      const notes = outcome.steps[0].notes;
      expect(notes[0]).toBe(
        `person.phone -> phones (PHONES): ${entries.length} row(s) in ${Math.ceil(entries.length / 16)} batch(es), ${verbatim.length} kept verbatim`,
      );
      expect(await liveColumns(db.client, workspace.schemaName, 'person')).not.toContain('phone');
      expect(progress.length).toBe(Math.ceil(entries.length / 16) + 2);
      expect(progress.at(-1)).toEqual({ task: 'move', done: entries.length, total: entries.length, finished: true });
    });
  });

  describe('a 0.22 workspace with custom PHONE fields, notes and views, upgraded to 0.25', () => {
    let workspace: WorkspaceRow;
    let schema: string;
    const ids: Record<string, string> = {};
    const notes = [...BLOCKNOTE_CASES, ...TEXT_CASES].map((entry) => ({ ...entry, id: randomUUID() }));
    const nullNote = randomUUID();
    const people = PHONE_CORPUS.filter((entry) => (entry[1] === 'FR' || entry[1] === '') && entry[0] !== null)
      .slice(0, 40)
      .map((entry) => ({ id: randomUUID(), entry }));
    const partnerId = randomUUID();
    let viewsBefore: Record<string, unknown>;

    beforeAll(async () => {
      workspace = await createWorkspace('Moves', '0.22', 'FR');
      schema = workspace.schemaName;
      const custom = new CustomMetadataService(db.dataSource, declared);
      await custom.createField(workspace.id, 'person', { name: 'mobile', label: 'Mobile', type: 'PHONE' });
      await custom.createObject(workspace.id, {
        nameSingular: 'partner',
        namePlural: 'partners',
        labelSingular: 'Partner',
        labelPlural: 'Partners',
      });
      await custom.createField(workspace.id, 'partner', { name: 'hotline', label: 'Hotline', type: 'PHONE' });
      for (const [object, name] of [
        ['person', 'phone'],
        ['person', 'mobile'],
        ['partner', 'hotline'],
        ['note', 'body'],
      ]) {
        ids[`${object}.${name}`] = (await fieldRow(db.client, workspace.id, object, name))!.id;
      }
      await db.client.query(
        `INSERT INTO "${schema}".person ("id", "phone", "mobile") SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])`,
        [
          people.map((person) => person.id),
          people.map((person) => person.entry[0]),
          people.map((person, index) => (index % 4 === 0 ? null : '06 12 34 56 78')),
        ],
      );
      await db.client.query(`INSERT INTO "${schema}"."_partner" ("id", "name", "hotline") VALUES ($1, 'Hotline', '+1 (212) 555-0123')`, [
        partnerId,
      ]);
      await db.client.query(
        `INSERT INTO "${schema}".note ("id", "title", "body") SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])`,
        [
          [...notes.map((note) => note.id), nullNote],
          [...notes.map((note) => note.name), 'no body'],
          [...notes.map((note) => note.body), null],
        ],
      );
      const [{ id: view }] = (await db.client.query(`SELECT "id" FROM "${schema}".view WHERE "name" = 'All People'`)).rows;
      await db.client.query(
        `INSERT INTO "${schema}"."viewFilter" ("viewId", "fieldMetadataId", "operand", "value", "displayValue") VALUES ($1, $2, 'contains', '+33', '+33'), ($1, $3, 'isNotEmpty', '', '')`,
        [view, ids['person.phone'], ids['person.mobile']],
      );
      await db.client.query(`INSERT INTO "${schema}"."viewSort" ("viewId", "fieldMetadataId", "direction") VALUES ($1, $2, 'asc')`, [
        view,
        ids['person.phone'],
      ]);
      const before = await tableData(db.client, schema);
      viewsBefore = { viewField: before.viewField, viewFilter: before.viewFilter, viewSort: before.viewSort };
      const outcome = await new UpgradeRunner(db.dataSource).upgradeToLatest(workspace, { batchSize: 7 });
      expect({ status: outcome.status, message: outcome.message }).toEqual({ status: 'upgraded', message: null });
      workspace = await reload(workspace.id);
    });

    it('ends at 0.25 with every PHONE field PHONES and the note body RICH_TEXT_V2, under their ids, old columns gone', async () => {
      expect(await workspaceVersion(db.client, workspace.id)).toBe('0.25');
      const after = {
        phones: await fieldRow(db.client, workspace.id, 'person', 'phones'),
        mobile: await fieldRow(db.client, workspace.id, 'person', 'mobile'),
        hotline: await fieldRow(db.client, workspace.id, 'partner', 'hotline'),
        bodyV2: await fieldRow(db.client, workspace.id, 'note', 'bodyV2'),
      };
      expect(Object.values(after).map((field) => [field?.id, field?.type])).toEqual([
        [ids['person.phone'], 'PHONES'],
        [ids['person.mobile'], 'PHONES'],
        [ids['partner.hotline'], 'PHONES'],
        [ids['note.body'], 'RICH_TEXT_V2'],
      ]);
      expect(await liveColumns(db.client, schema, 'person')).toEqual(
        expect.arrayContaining([
          'phonesPrimaryPhoneNumber',
          'phonesPrimaryPhoneCountryCode',
          'phonesAdditionalPhones',
          'mobilePrimaryPhoneNumber',
        ]),
      );
      expect(await liveColumns(db.client, schema, 'person')).not.toEqual(expect.arrayContaining(['phone']));
      expect((await liveColumns(db.client, schema, 'person')).filter((column) => column === 'phone' || column === 'mobile')).toEqual([]);
      expect((await liveColumns(db.client, schema, '_partner')).filter((column) => column === 'hotline')).toEqual([]);
      expect((await liveColumns(db.client, schema, 'note')).filter((column) => column === 'body')).toEqual([]);
    });

    it('parses the phones in the workspace default country (FR), custom fields too', async () => {
      const rows = new Map(
        (
          await db.client.query(
            `SELECT "id", "phonesPrimaryPhoneNumber" AS number, "phonesPrimaryPhoneCountryCode" AS code,
                    "mobilePrimaryPhoneNumber" AS mobile, "mobilePrimaryPhoneCountryCode" AS "mobileCode" FROM "${schema}".person`,
          )
        ).rows.map((row) => [row.id, row]),
      );
      // The corpus entries without a country parse the same way in FR when they carry an international prefix.
      for (const { id, entry } of people.filter((person) => person.entry[1] === 'FR')) {
        expect({ raw: entry[0], number: rows.get(id).number, code: rows.get(id).code }).toEqual({
          raw: entry[0],
          number: entry[2],
          code: entry[3],
        });
      }
      people.forEach(({ id }, index) => {
        const row = rows.get(id);
        expect({ index, mobile: row.mobile, code: row.mobileCode }).toEqual(
          index % 4 === 0 ? { index, mobile: null, code: null } : { index, mobile: '612345678', code: '+33' },
        );
      });
      const [partner] = (
        await db.client.query(
          `SELECT "hotlinePrimaryPhoneNumber" AS number, "hotlinePrimaryPhoneCountryCode" AS code FROM "${schema}"."_partner"`,
        )
      ).rows;
      expect(partner).toEqual({ number: '2125550123', code: '+1' });
    });

    it('converts every note: BlockNote documents kept and rendered, other text kept as markdown and as paragraphs, NULL kept', async () => {
      const rows = new Map<string, { blocknote: string | null; markdown: string | null }>(
        (
          await db.client.query(`SELECT "id" AS key, "bodyV2Blocknote" AS blocknote, "bodyV2Markdown" AS markdown FROM "${schema}".note`)
        ).rows.map(({ key, ...row }) => [key, row]),
      );
      expect(rows.get(nullNote)).toEqual({ blocknote: null, markdown: null });
      for (const note of notes.filter((entry) => entry.markdown !== undefined)) {
        expect({ name: note.name, ...rows.get(note.id) }).toEqual({ name: note.name, blocknote: note.body, markdown: note.markdown });
      }
      for (const note of notes.filter((entry) => entry.markdown === undefined)) {
        const row = rows.get(note.id)!;
        expect({ name: note.name, markdown: row.markdown }).toEqual({ name: note.name, markdown: note.body });
        const texts = row.blocknote
          ? (JSON.parse(row.blocknote) as Array<{ content: Array<{ text: string }> }>).map((block) =>
              block.content.map((inline) => inline.text).join(''),
            )
          : [];
        // Every line of the text is in one of the paragraphs.
        for (const line of note.body.split(/\r?\n/).filter((candidate) => candidate.trim() !== '')) {
          expect({ name: note.name, line, found: texts.some((text) => text.split('\n').includes(line.replace(/\r$/, ''))) }).toEqual({
            name: note.name,
            line,
            found: true,
          });
        }
      }
    });

    it('keeps the view fields, filters and sorts of the moved fields, on the same field rows', async () => {
      const after = await tableData(db.client, schema);
      const moved = new Set(Object.values(ids));
      const ofMoved = (rows: Record<string, Record<string, unknown>>) =>
        Object.values(rows)
          .filter((row) => moved.has(row.fieldMetadataId as string))
          .map((row) => ({ id: row.id, viewId: row.viewId, fieldMetadataId: row.fieldMetadataId }));
      const before = viewsBefore as Record<string, Record<string, Record<string, unknown>>>;
      expect(ofMoved(before.viewField).length).toBeGreaterThan(0);
      expect(ofMoved(after.viewField)).toEqual(ofMoved(before.viewField));
      expect({ viewFilter: after.viewFilter, viewSort: after.viewSort }).toEqual({
        viewFilter: before.viewFilter,
        viewSort: before.viewSort,
      });
      expect(Object.values(after.viewFilter).map((row) => row.fieldMetadataId)).toEqual(
        expect.arrayContaining([ids['person.phone'], ids['person.mobile']]),
      );
    });

    it('converges: person and note equal those of a workspace created at 0.25 (fields, columns, constraints, indexes, search triggers and functions)', async () => {
      const fresh = await createWorkspace('Fresh', '0.25');
      const customColumns = new Set(
        ['mobilePrimaryPhoneNumber', 'mobilePrimaryPhoneCountryCode', 'mobileAdditionalPhones'].map((column) => `person.${column}`),
      );
      const tables = ['person', 'note'];
      const partsOf = async (id: string, schemaName: string, custom?: ReadonlySet<string>) => {
        const parts = await standardParts(db.client, id, schemaName, custom);
        const onTables = <T extends { table: string }>(rows: T[]) => rows.filter((row) => tables.includes(row.table));
        return {
          fields: parts.metadata.fields.filter((row) => tables.includes(row.objectName as string)),
          indexes: parts.metadata.indexes.filter((row) => tables.includes(row.objectName as string)),
          columns: onTables(parts.catalog.columns),
          constraints: onTables(parts.catalog.constraints),
          catalogIndexes: onTables(parts.catalog.indexes),
          triggers: onTables(parts.catalog.triggers),
          functions: parts.catalog.functions.filter((fn) => tables.some((table) => fn.name.startsWith(`${table}_`))),
        };
      };
      const upgraded = await partsOf(workspace.id, schema, customColumns);
      const expected = await partsOf(fresh.id, fresh.schemaName);
      expect(upgraded.columns.map((column) => `${column.table}.${column.column}`)).toEqual(
        expect.arrayContaining(['person.phonesPrimaryPhoneNumber', 'note.bodyV2Markdown']),
      );
      for (const part of Object.keys(expected) as Array<keyof typeof expected>) {
        expect({ part, rows: upgraded[part] }).toEqual({ part, rows: expected[part] });
      }
    });

    it('a second upgrade has nothing to do', async () => {
      const again = await new UpgradeRunner(db.dataSource).upgradeToLatest(workspace);
      expect({ status: again.status, steps: again.steps }).toEqual({ status: 'up-to-date', steps: [] });
    });
  });

  it('keeps what the old app writes during each move: moved rows, rows not yet moved and new rows end converted from their latest value', async () => {
    const workspace = await createWorkspace('Writers', '0.24', 'FR');
    const person = `"${workspace.schemaName}".person`;
    const note = `"${workspace.schemaName}".note`;
    const personIds = Array.from({ length: 40 }, () => randomUUID()).sort();
    const noteIds = Array.from({ length: 40 }, () => randomUUID()).sort();
    await db.client.query(`INSERT INTO ${person} ("id", "phone") SELECT id, '+33 1 23 45 67 89' FROM unnest($1::uuid[]) AS id`, [
      personIds,
    ]);
    await db.client.query(`INSERT INTO ${note} ("id", "title", "body") SELECT id, 'n', 'old body' FROM unnest($1::uuid[]) AS id`, [
      noteIds,
    ]);
    const newPerson = randomUUID();
    const newNote = randomUUID();
    const wrote: string[] = [];
    const outcome = await new UpgradeRunner(db.dataSource).upgrade(workspace, '0.25', {
      batchSize: 10,
      onBatch: async (key, batch) => {
        // The two moves come first; the batches of the steps after them (the search fill) are left alone.
        if (batch !== 2 || wrote.length === 2 || wrote.includes(key)) return;
        wrote.push(key);
        // The old app's writes, on another connection, in the 0.24 shape.
        if (wrote.length === 1) {
          await db.client.query(`UPDATE ${person} SET "phone" = '06 98 76 54 32' WHERE "id" = $1`, [personIds[0]]);
          await db.client.query(`UPDATE ${person} SET "phone" = 'front desk' WHERE "id" = $1`, [personIds[39]]);
          await db.client.query(`INSERT INTO ${person} ("id", "phone") VALUES ($1, '+1 212 555 0123')`, [newPerson]);
        } else {
          await db.client.query(`UPDATE ${note} SET "body" = 'changed\n\nafter its batch' WHERE "id" = $1`, [noteIds[0]]);
          await db.client.query(`INSERT INTO ${note} ("id", "title", "body") VALUES ($1, 'new', 'written during the move')`, [newNote]);
        }
      },
    });
    expect({ status: outcome.status, message: outcome.message }).toEqual({ status: 'upgraded', message: null });
    expect(wrote).toHaveLength(2);
    const phone = async (id: string) =>
      (
        await db.client.query(
          `SELECT "phonesPrimaryPhoneNumber" AS n, "phonesPrimaryPhoneCountryCode" AS c FROM ${person} WHERE "id" = $1`,
          [id],
        )
      ).rows[0];
    expect(await phone(personIds[0])).toEqual({ n: '698765432', c: '+33' });
    expect(await phone(personIds[39])).toEqual({ n: 'front desk', c: '' });
    expect(await phone(newPerson)).toEqual({ n: '2125550123', c: '+1' });
    expect(await phone(personIds[20])).toEqual({ n: '123456789', c: '+33' });
    const body = async (id: string) =>
      (await db.client.query(`SELECT "bodyV2Markdown" AS markdown, "bodyV2Blocknote" AS blocknote FROM ${note} WHERE "id" = $1`, [id]))
        .rows[0];
    const changed = await body(noteIds[0]);
    expect(changed.markdown).toBe('changed\n\nafter its batch');
    expect(JSON.parse(changed.blocknote).map((block: { content: Array<{ text: string }> }) => block.content[0].text)).toEqual([
      'changed',
      'after its batch',
    ]);
    expect((await body(newNote)).markdown).toBe('written during the move');
    expect(JSON.parse((await body(newNote)).blocknote)).toHaveLength(1);
    const [{ count }] = (await db.client.query(`SELECT count(*)::int AS count FROM ${note} WHERE "bodyV2Blocknote" IS NULL`)).rows;
    expect(count).toBe(0);
    // The search fields the moves' batches filled hold the values the rows ended with.
    expect(await staleSearchVectors(db.client, workspace)).toEqual({ person: 0, note: 0 });
  });

  it('refuses a workspace where a field is in the way of phones or bodyV2, before anything is written', async () => {
    const workspace = await createWorkspace('Clash', '0.24');
    const custom = new CustomMetadataService(db.dataSource, declared);
    await custom.createField(workspace.id, 'person', { name: 'phonesPrimaryPhoneNumber', label: 'Old phones', type: 'TEXT' });
    await custom.createField(workspace.id, 'note', { name: 'bodyV2', label: 'Body two', type: 'TEXT' });
    await db.client.query(`INSERT INTO "${workspace.schemaName}".person ("phone") VALUES ('+33 1 23 45 67 89')`);
    const outcome = await new UpgradeRunner(db.dataSource).upgrade(workspace, '0.25');
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain(
      'person.phone cannot become phones (PHONES): field "phonesPrimaryPhoneNumber" is in the way; rename it, then run the step again',
    );
    expect(outcome.message).toContain(
      'note.body cannot become bodyV2 (RICH_TEXT_V2): field "bodyV2" is in the way; rename it, then run the step again',
    );
    expect(outcome.steps).toEqual([]);
    expect((await fieldRow(db.client, workspace.id, 'person', 'phone'))?.type).toBe('PHONE');
    expect((await db.client.query(`SELECT "phone" FROM "${workspace.schemaName}".person`)).rows).toEqual([{ phone: '+33 1 23 45 67 89' }]);
  });
});
