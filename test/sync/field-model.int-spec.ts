import { OnDeleteAction } from '../../src/declarations/field-type';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { RecordService } from '../../src/records/record.service';
import { Hazard } from '../../src/sync/plan';
import { FIELD_MODEL_IDS, fieldModelSet, STAGE_OPTIONS } from '../fixtures/declarations/field-model';
import { catalogSnapshot, comparableMetadata, metadataRows } from '../utils/schema-snapshot';
import { syncHelpers } from '../utils/sync-helpers';
import { useTestDatabase } from '../utils/test-services';

/**
 * The field model of a real CRM on a real database: a unique EMAILS field, relation rules declared
 * on either side, a required relation, a relation of an object to itself, SELECT values in their
 * declared case renamed by option id, object properties, and a standardId on two objects.
 */
describe('field model', () => {
  const db = useTestDatabase();
  const { create, reload, sync, expectConverged, expectSameAsFresh } = syncHelpers(db);

  const rows = async (workspace: WorkspaceRow, sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> =>
    (await db.client.query(sql.split('$schema').join(`"${workspace.schemaName}"`), params)).rows;

  const field = async (workspaceId: string, object: string, name: string): Promise<Record<string, unknown>> =>
    (
      await db.client.query(
        `SELECT f.* FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
          WHERE f."workspaceId" = $1 AND o."nameSingular" = $2 AND f."name" = $3`,
        [workspaceId, object, name],
      )
    ).rows[0];

  const objectRow = async (workspaceId: string, name: string): Promise<Record<string, unknown>> =>
    (await db.client.query(`SELECT * FROM metadata."objectMetadata" WHERE "workspaceId" = $1 AND "nameSingular" = $2`, [workspaceId, name]))
      .rows[0];

  const enumLabels = async (workspace: WorkspaceRow, enumName: string): Promise<string[]> =>
    (
      await db.client.query(
        `SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE n.nspname = $1 AND t.typname = $2 ORDER BY e.enumsortorder`,
        [workspace.schemaName, enumName],
      )
    ).rows.map((row) => row.enumlabel);

  const foreignKey = async (workspace: WorkspaceRow, table: string, column: string) =>
    (await catalogSnapshot(db.client, workspace.schemaName)).foreignKeys.find((fk) => fk.table === table && fk.column === column);

  const insertCompany = async (workspace: WorkspaceRow, values: Record<string, unknown>): Promise<string> => {
    const columns = Object.keys(values);
    const [row] = await rows(
      workspace,
      `INSERT INTO $schema."company" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING "id"`,
      Object.values(values),
    );
    return row.id as string;
  };

  /** Metadata, columns, constraints, indexes and enum types: all a refused sync must leave as they were. */
  const wholeWorkspace = async (workspace: WorkspaceRow) => ({
    metadata: await metadataRows(db.client, workspace.id),
    catalog: await catalogSnapshot(db.client, workspace.schemaName),
  });

  it('creates a workspace from the set and a second sync plans nothing', async () => {
    const declared = fieldModelSet();
    const workspace = await create(declared, 'Created');
    await expectConverged(declared, workspace.id);

    // A standardId declared on two objects gives each object its own field.
    const notes = await rows(
      workspace,
      `SELECT o."nameSingular" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
        WHERE f."workspaceId" = $1 AND f."standardId" = $2 ORDER BY 1`,
      [workspace.id, FIELD_MODEL_IDS.notes],
    );
    expect(notes.map((row) => row.nameSingular)).toEqual(['company', 'person']);
  });

  describe('unique EMAILS', () => {
    it('is unique on the primary email, ignoring NULL and empty, and isUnique in metadata', async () => {
      const workspace = await create(fieldModelSet(), 'Unique emails');
      expect(await field(workspace.id, 'company', 'emails')).toMatchObject({ isUnique: true });

      await insertCompany(workspace, { name: 'Acme', emailsPrimaryEmail: 'sales@acme.test', emailsAdditionalEmails: '[]' });
      // Different additional emails do not make a duplicate primary email acceptable.
      await expect(
        insertCompany(workspace, { name: 'Acme 2', emailsPrimaryEmail: 'sales@acme.test', emailsAdditionalEmails: '["x@acme.test"]' }),
      ).rejects.toMatchObject({ code: '23505' });
      await expect(insertCompany(workspace, { name: 'Acme 3', emailsPrimaryEmail: 'sales@acme.test' })).rejects.toMatchObject({
        code: '23505',
      });
      for (const name of ['No email 1', 'No email 2']) await insertCompany(workspace, { name, emailsPrimaryEmail: null });
      for (const name of ['Empty 1', 'Empty 2']) await insertCompany(workspace, { name, emailsPrimaryEmail: '' });
      expect(await rows(workspace, `SELECT count(*)::int AS count FROM $schema."company"`)).toEqual([{ count: 5 }]);

      const indexes = (await catalogSnapshot(db.client, workspace.schemaName)).indexes.filter((index) => index.table === 'company');
      expect(indexes.map((index) => index.definition)).toContainEqual(
        `CREATE UNIQUE INDEX "IDX_UNIQUE_company_emailsPrimaryEmail" ON company USING btree ("emailsPrimaryEmail") WHERE (("emailsPrimaryEmail" IS NOT NULL) AND ("emailsPrimaryEmail" <> ''::text))`,
      );
    });

    it('converges an existing workspace with the old index over every subcolumn to the partial index on the primary email', async () => {
      const declared = fieldModelSet();
      const workspace = await create(declared, 'Old unique index');
      const companyId = (await objectRow(workspace.id, 'company')).id;
      // The shape an older release left: one unique index over both subcolumns, which never stops a duplicate.
      await rows(workspace, `DROP INDEX $schema."IDX_UNIQUE_company_emailsPrimaryEmail"`);
      await rows(
        workspace,
        `CREATE UNIQUE INDEX "IDX_UNIQUE_company_emailsPrimaryEmail_emailsAdditionalEmails" ON $schema."company" ("emailsPrimaryEmail", "emailsAdditionalEmails")`,
      );
      await db.client.query(
        `UPDATE metadata."indexMetadata" SET "name" = 'IDX_UNIQUE_company_emailsPrimaryEmail_emailsAdditionalEmails',
          "columns" = ARRAY['emailsPrimaryEmail', 'emailsAdditionalEmails'], "whereClause" = NULL
          WHERE "objectMetadataId" = $1 AND "name" = 'IDX_UNIQUE_company_emailsPrimaryEmail'`,
        [companyId],
      );
      await db.client.query(`UPDATE core.workspace SET "fingerprint" = NULL WHERE "id" = $1`, [workspace.id]);
      await insertCompany(workspace, { name: 'A', emailsPrimaryEmail: 'same@acme.test', emailsAdditionalEmails: '[]' });
      await insertCompany(workspace, { name: 'B', emailsPrimaryEmail: '', emailsAdditionalEmails: '[]' });
      await insertCompany(workspace, { name: 'C', emailsPrimaryEmail: '', emailsAdditionalEmails: '["c@acme.test"]' });

      const outcome = await sync(declared, await reload(workspace.id));

      expect(outcome.status).toBe('applied');
      expect(outcome.plan!.actions.map((action) => action.summary)).toEqual([
        'drop index IDX_UNIQUE_company_emailsPrimaryEmail_emailsAdditionalEmails',
        'create unique index IDX_UNIQUE_company_emailsPrimaryEmail on company (emailsPrimaryEmail)',
      ]);
      await expectConverged(declared, workspace.id);
      await expectSameAsFresh(workspace.id, declared);
      await expect(insertCompany(workspace, { name: 'D', emailsPrimaryEmail: 'same@acme.test' })).rejects.toMatchObject({ code: '23505' });
    });

    it('refuses to build the index over duplicate primary emails, naming them, with the workspace unchanged', async () => {
      const declared = fieldModelSet();
      const workspace = await create(declared, 'Duplicates before index');
      await rows(workspace, `DROP INDEX $schema."IDX_UNIQUE_company_emailsPrimaryEmail"`);
      await db.client.query(`UPDATE core.workspace SET "fingerprint" = NULL WHERE "id" = $1`, [workspace.id]);
      await insertCompany(workspace, { name: 'A', emailsPrimaryEmail: 'twice@acme.test' });
      await insertCompany(workspace, { name: 'B', emailsPrimaryEmail: 'twice@acme.test' });
      const before = await wholeWorkspace(workspace);

      const outcome = await sync(declared, await reload(workspace.id), { skipHealthCheck: true });

      expect(outcome.status).toBe('failed');
      expect(outcome.message).toContain('company holds duplicate values of emailsPrimaryEmail');
      expect(outcome.message).toContain('twice@acme.test');
      expect(await wholeWorkspace(workspace)).toEqual(before);
    });
  });

  describe('required relations', () => {
    it('are refused over existing NULLs by the pre-flight check with the workspace unchanged, and applied once none remain', async () => {
      const workspace = await create(fieldModelSet(), 'Required relation');
      const acme = await insertCompany(workspace, { name: 'Acme' });
      await rows(workspace, `INSERT INTO $schema."person" ("companyId") VALUES ($1)`, [acme]);
      const [orphan] = await rows(workspace, `INSERT INTO $schema."person" ("companyId") VALUES (NULL) RETURNING "id"`);
      const before = await wholeWorkspace(workspace);
      const required = fieldModelSet({ companyRequired: true });

      const refused = await sync(required, await reload(workspace.id));

      expect(refused.status).toBe('failed');
      expect(refused.message).toContain('pre-flight checks failed, nothing was written');
      expect(refused.message).toContain(`1 row(s) of person have no value in companyId (e.g. ids ${orphan.id})`);
      expect(await wholeWorkspace(workspace)).toEqual(before);

      await rows(workspace, `UPDATE $schema."person" SET "companyId" = $1 WHERE "id" = $2`, [acme, orphan.id]);
      const applied = await sync(required, await reload(workspace.id));

      expect(applied.status).toBe('applied');
      expect(await field(workspace.id, 'person', 'company')).toMatchObject({ isNullable: false, onDelete: OnDeleteAction.CASCADE });
      const column = (await catalogSnapshot(db.client, workspace.schemaName)).columns.find(
        (candidate) => candidate.table === 'person' && candidate.column === 'companyId',
      );
      expect(column?.isNullable).toBe('NO');
      await expectConverged(required, workspace.id);
      await expectSameAsFresh(workspace.id, required);
    });

    it('a new required relation is refused on a table with rows, with the workspace unchanged, and added to an empty one', async () => {
      const workspace = await create(fieldModelSet(), 'New required relation');
      const [person] = await rows(workspace, `INSERT INTO $schema."person" DEFAULT VALUES RETURNING "id"`);
      const [task] = await rows(workspace, `INSERT INTO $schema."task" ("assigneeId") VALUES ($1) RETURNING "id"`, [person.id]);
      const before = await wholeWorkspace(workspace);
      const withReviewer = fieldModelSet({ withTaskReviewer: true });

      const refused = await sync(withReviewer, await reload(workspace.id));

      expect(refused.status).toBe('failed');
      expect(refused.message).toContain(`1 row(s) of task would have no value in the new reviewerId (e.g. ids ${task.id})`);
      expect(refused.message).toContain('declare task.reviewer optional first, fill it on every record, then make it required');
      expect(await wholeWorkspace(workspace)).toEqual(before);

      await rows(workspace, `DELETE FROM $schema."task"`);
      expect((await sync(withReviewer, await reload(workspace.id))).status).toBe('applied');
      await expectConverged(withReviewer, workspace.id);
      await expectSameAsFresh(workspace.id, withReviewer);
    });

    it('a required relation whose foreign key lost NOT NULL is drift the sync reports', async () => {
      const declared = fieldModelSet();
      const workspace = await create(declared, 'Required relation drift');
      await rows(workspace, `ALTER TABLE $schema."task" ALTER COLUMN "assigneeId" DROP NOT NULL`);
      await db.client.query(`UPDATE core.workspace SET "fingerprint" = NULL WHERE "id" = $1`, [workspace.id]);

      const outcome = await sync(declared, await reload(workspace.id));

      expect(outcome.status).toBe('failed');
      expect(outcome.message).toContain('column "assigneeId" of task is nullable, metadata says NOT NULL');
    });

    it('a required relation is a NOT NULL foreign key that refuses a record without it', async () => {
      const workspace = await create(fieldModelSet(), 'Required task assignee');
      expect(await field(workspace.id, 'task', 'assignee')).toMatchObject({ isNullable: false, onDelete: OnDeleteAction.CASCADE });
      await expect(rows(workspace, `INSERT INTO $schema."task" ("title") VALUES ('No one')`)).rejects.toMatchObject({ code: '23502' });
    });
  });

  describe('on-delete rules and a relation to the same object', () => {
    it('applies the rule declared on the ONE_TO_MANY side, and a self relation sets children free when their parent goes', async () => {
      const workspace = await create(fieldModelSet(), 'On delete');
      expect(await foreignKey(workspace, 'person', 'companyId')).toMatchObject({ targetTable: 'company', onDelete: 'c' });
      expect(await foreignKey(workspace, 'company', 'parentCompanyId')).toMatchObject({ targetTable: 'company', onDelete: 'n' });
      expect(await field(workspace.id, 'company', 'parentCompany')).toMatchObject({
        relationType: 'MANY_TO_ONE',
        relationTargetObjectMetadataId: (await objectRow(workspace.id, 'company')).id,
        relationTargetFieldMetadataId: (await field(workspace.id, 'company', 'childCompanies')).id,
        onDelete: OnDeleteAction.SET_NULL,
      });

      const parent = await insertCompany(workspace, { name: 'Holding' });
      const child = await insertCompany(workspace, { name: 'Subsidiary', parentCompanyId: parent });
      await rows(workspace, `INSERT INTO $schema."person" ("companyId") VALUES ($1)`, [parent]);
      await rows(workspace, `DELETE FROM $schema."company" WHERE "id" = $1`, [parent]);

      expect(await rows(workspace, `SELECT "id", "parentCompanyId" FROM $schema."company"`)).toEqual([
        { id: child, parentCompanyId: null },
      ]);
      expect(await rows(workspace, `SELECT count(*)::int AS count FROM $schema."person"`)).toEqual([{ count: 0 }]);
    });

    it('syncs a changed rule to the foreign key, and drops the self relation with DROPS_DATA', async () => {
      const workspace = await create(fieldModelSet(), 'Rule change');
      const restrict = fieldModelSet({ peopleOnDelete: OnDeleteAction.RESTRICT });

      const changed = await sync(restrict, await reload(workspace.id));

      expect(changed.status).toBe('applied');
      expect(changed.plan!.actions.map((action) => action.kind)).toEqual(['UPDATE_FIELD', 'UPDATE_FOREIGN_KEY']);
      expect(await foreignKey(workspace, 'person', 'companyId')).toMatchObject({ onDelete: 'r' });
      await expectConverged(restrict, workspace.id);
      const acme = await insertCompany(workspace, { name: 'Acme' });
      await rows(workspace, `INSERT INTO $schema."person" ("companyId") VALUES ($1)`, [acme]);
      await expect(rows(workspace, `DELETE FROM $schema."company" WHERE "id" = $1`, [acme])).rejects.toMatchObject({ code: '23503' });
      await expect(new RecordService(db.dataSource).delete(workspace.id, 'company', acme)).rejects.toMatchObject({
        code: 'CONFLICT',
        message:
          'records of person still point at this record through a relation that restricts deletion: delete them or point them elsewhere first',
      });

      const withoutParent = fieldModelSet({ peopleOnDelete: OnDeleteAction.RESTRICT, withParentCompany: false });
      const dropped = await sync(withoutParent, await reload(workspace.id), { allowHazards: new Set([Hazard.DROPS_DATA]) });

      expect(dropped.status).toBe('applied');
      expect(dropped.plan!.actions.map((action) => `${action.kind} ${action.field}`).sort()).toEqual([
        'DROP_FIELD childCompanies',
        'DROP_FIELD parentCompany',
      ]);
      expect(await foreignKey(workspace, 'company', 'parentCompanyId')).toBeUndefined();
      expect(await field(workspace.id, 'company', 'parentCompany')).toBeUndefined();
      await expectConverged(withoutParent, workspace.id);
      await expectSameAsFresh(workspace.id, withoutParent);
    });
  });

  describe('SELECT values as declared', () => {
    it('keeps lowercase and mixed-case values as enum labels, and a rename by option id keeps the rows', async () => {
      const workspace = await create(fieldModelSet(), 'Options');
      expect(await enumLabels(workspace, 'person_stage_enum')).toEqual(['lead', 'Qualified', 'CUSTOMER']);
      expect(await enumLabels(workspace, 'person_tags_enum')).toEqual(['vip', 'Partner']);
      expect(((await field(workspace.id, 'person', 'stage')).options as Array<{ id: string }>).map((option) => option.id)).toEqual(
        STAGE_OPTIONS.map((option) => option.id),
      );
      const [qualified] = await rows(
        workspace,
        `INSERT INTO $schema."person" ("stage", "tags") VALUES ('Qualified', '{vip,Partner}') RETURNING "id"`,
      );
      const [lead] = await rows(workspace, `INSERT INTO $schema."person" DEFAULT VALUES RETURNING "id"`);

      const renamedOptions = STAGE_OPTIONS.map((option) =>
        option.id === FIELD_MODEL_IDS.stageOptions.qualified ? { ...option, value: 'qualified-lead', label: 'Qualified lead' } : option,
      );
      const renamed = fieldModelSet({ stageOptions: renamedOptions });
      const outcome = await sync(renamed, await reload(workspace.id));

      expect(outcome.status).toBe('applied');
      expect(outcome.plan!.actions.flatMap((action) => action.statements.map((statement) => statement.sql))).toContainEqual(
        `ALTER TYPE "${workspace.schemaName}"."person_stage_enum" RENAME VALUE 'Qualified' TO 'qualified-lead'`,
      );
      expect(await rows(workspace, `SELECT "id", "stage"::text AS "stage" FROM $schema."person" ORDER BY "stage"`)).toEqual([
        { id: lead.id, stage: 'lead' },
        { id: qualified.id, stage: 'qualified-lead' },
      ]);
      expect(await enumLabels(workspace, 'person_stage_enum')).toEqual(['lead', 'qualified-lead', 'CUSTOMER']);
      await expectConverged(renamed, workspace.id);
      await expectSameAsFresh(workspace.id, renamed);
    });

    it('refuses dropping an option that rows hold, even beside a rename, with the workspace unchanged', async () => {
      const workspace = await create(fieldModelSet(), 'Option removed');
      await rows(workspace, `INSERT INTO $schema."person" ("stage") VALUES ('CUSTOMER')`);
      const before = await wholeWorkspace(workspace);
      const fewer = fieldModelSet({
        stageOptions: [STAGE_OPTIONS[0], { ...STAGE_OPTIONS[1], value: 'qualifiedLead' }],
      });

      const outcome = await sync(fewer, await reload(workspace.id), { allowHazards: new Set([Hazard.REWRITES_TABLE]) });

      expect(outcome.status).toBe('failed');
      expect(outcome.message).toContain('person.stage holds values that are no longer options: CUSTOMER');
      expect(await wholeWorkspace(workspace)).toEqual(before);
    });
  });

  describe('object properties', () => {
    it('are stored in objectMetadata and changed by sync', async () => {
      const workspace = await create(fieldModelSet(), 'Object properties');
      const domain = await field(workspace.id, 'company', 'domain');
      expect(await objectRow(workspace.id, 'company')).toMatchObject({
        shortcut: 'C',
        isSearchable: true,
        isAuditLogged: false,
        imageIdentifierFieldMetadataId: domain.id,
        labelIdentifierFieldMetadataId: (await field(workspace.id, 'company', 'name')).id,
      });
      expect(await objectRow(workspace.id, 'task')).toMatchObject({
        shortcut: null,
        isSearchable: false,
        isAuditLogged: true,
        imageIdentifierFieldMetadataId: null,
      });

      const changed = fieldModelSet({
        company: { shortcut: 'K', isSearchable: false, isAuditLogged: true, imageIdentifier: false, icon: 'IconBuildingSkyscraper' },
      });
      const outcome = await sync(changed, await reload(workspace.id));

      expect(outcome.status).toBe('applied');
      expect(outcome.plan!.actions.map((action) => action.summary)).toEqual([
        'update object company: icon, shortcut, isSearchable, isAuditLogged',
        'set the image identifier of company to none',
      ]);
      expect(await objectRow(workspace.id, 'company')).toMatchObject({
        shortcut: 'K',
        isSearchable: false,
        isAuditLogged: true,
        icon: 'IconBuildingSkyscraper',
        imageIdentifierFieldMetadataId: null,
      });
      await expectConverged(changed, workspace.id);
      expect(await comparableMetadata(db.client, workspace.id)).toEqual(
        await comparableMetadata(db.client, (await create(changed, 'Fresh')).id),
      );
    });
  });
});
