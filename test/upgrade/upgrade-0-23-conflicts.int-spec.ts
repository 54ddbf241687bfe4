import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { UpgradeRunner } from '../../src/upgrade/upgrade.runner';
import { CustomMetadataService } from '../../src/custom-metadata/custom-metadata.service';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRepository, WorkspaceRow } from '../../src/metadata/workspace.repository';
import { workspaceSnapshot } from '../utils/schema-snapshot';
import { useTestDatabase } from '../utils/test-services';
import { ledgerRow, workspaceVersion } from './upgrade-0-23.fixtures';

/**
 * A custom field of a 0.22 workspace in the way of what upgrade-0.23 creates: the upgrade stops
 * before it writes anything over it, names the field and what to do, and finishes once the
 * custom field is renamed, with the custom values kept.
 */
describe('upgrade-0.23 with a custom field in the way', () => {
  const db = useTestDatabase();
  const declared = buildStandardDeclarations();

  const reload = async (id: string): Promise<WorkspaceRow> => (await new WorkspaceRepository(db.dataSource.manager).findById(id))!;

  /** A 0.22 workspace (with its prefill records) holding a custom TEXT field `name` on `object`, one value per record. */
  const workspaceWithCustomField = async (
    object: string,
    name: string,
  ): Promise<{ workspace: WorkspaceRow; values: Array<{ id: string; value: string }> }> => {
    const { workspace } = await new WorkspaceCreationService(db.dataSource, declared).create({
      displayName: `Custom ${name}`,
      version: '0.22',
    });
    await new CustomMetadataService(db.dataSource, declared).createField(workspace.id, object, {
      name,
      label: `Custom ${name}`,
      type: 'TEXT',
    });
    await db.client.query(`UPDATE "${workspace.schemaName}"."${object}" SET "${name}" = 'custom value of ' || "id"`);
    const values = (
      await db.client.query(`SELECT "id"::text AS id, "${name}" AS value FROM "${workspace.schemaName}"."${object}" ORDER BY "id"`)
    ).rows;
    expect(values.length).toBeGreaterThan(0);
    return { workspace, values };
  };

  const renameCustomField = async (workspace: WorkspaceRow, table: string, from: string, to: string): Promise<void> => {
    const { rowCount } = await db.client.query(
      `UPDATE metadata."fieldMetadata" SET "name" = $1 WHERE "workspaceId" = $2 AND "name" = $3 AND "isCustom"`,
      [to, workspace.id, from],
    );
    expect(rowCount).toBe(1);
    await db.client.query(`ALTER TABLE "${workspace.schemaName}"."${table}" RENAME COLUMN "${from}" TO "${to}"`);
  };

  it.each([
    ['person', 'emails', 'migrate-email-fields-to-emails'],
    ['person', 'emailsPrimaryEmail', 'migrate-email-fields-to-emails'],
    ['company', 'domainNamePrimaryLinkUrl', 'migrate-link-fields-to-links'],
    ['company', 'linkedinLinkSecondaryLinks', 'migrate-link-fields-to-links'],
  ])(
    'a custom %s.%s: the upgrade is refused by the pre-flight of %s before any step writes, and finishes once the field is renamed',
    async (object, name, step) => {
      const { workspace, values } = await workspaceWithCustomField(object, name);
      const before = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);

      const outcome = await new UpgradeRunner(db.dataSource).upgrade(workspace, '0.23', { batchSize: 2 });
      expect(outcome.status).toBe('failed');
      expect(outcome.message).toContain(`pre-flight checks failed, nothing was written: 0.23 ${step}: `);
      expect(outcome.message).toContain(`field "${name}" is in the way; rename it, then run the step again`);
      expect(await ledgerRow(db.client, workspace.id, step)).toBeUndefined();
      expect(await workspaceVersion(db.client, workspace.id)).toBe('0.22');
      // The object's table, columns and field rows as they were before, the custom values included:
      // the pre-flight runs every step's checks before the first step writes.
      const after = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);
      const fieldsOf = (snapshot: typeof before) => snapshot.metadata.fields.filter((row) => row.objectMetadataId === objectId);
      const columnsOf = (snapshot: typeof before) => snapshot.catalog.columns.filter((column) => column.table === object);
      const objectId = before.metadata.objects.find((row) => row.nameSingular === object)!.id;
      expect(fieldsOf(before).length).toBeGreaterThan(10);
      expect({ data: after.data[object], columns: columnsOf(after), fields: fieldsOf(after) }).toEqual({
        data: before.data[object],
        columns: columnsOf(before),
        fields: fieldsOf(before),
      });
      expect(
        (
          await db.client.query(
            `SELECT count(*)::int AS count FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal`,
            [workspace.schemaName],
          )
        ).rows[0].count,
      ).toBe(0);

      await renameCustomField(workspace, object, name, `${name}Custom`);
      const rerun = await new UpgradeRunner(db.dataSource).upgrade(await reload(workspace.id), '0.23', { batchSize: 2 });
      expect({ status: rerun.status, message: rerun.message }).toEqual({ status: 'upgraded', message: null });
      const kept = (
        await db.client.query(`SELECT "id"::text AS id, "${name}Custom" AS value FROM "${workspace.schemaName}"."${object}" ORDER BY "id"`)
      ).rows;
      expect(kept).toEqual(values);
    },
  );

  it('a field in the way of one move stops the step before it moves any other field', async () => {
    const { workspace } = await workspaceWithCustomField('person', 'emails');
    const custom = new CustomMetadataService(db.dataSource, declared);
    // Companies come before people: without a check up front, these would move first.
    await custom.createField(workspace.id, 'company', { name: 'billingEmail', label: 'Billing email', type: 'EMAIL' });
    await custom.createField(workspace.id, 'company', { name: 'blog', label: 'Blog', type: 'LINK' });
    await custom.createField(workspace.id, 'company', { name: 'blogPrimaryLinkLabel', label: 'In the way', type: 'TEXT' });
    await db.client.query(
      `UPDATE "${workspace.schemaName}".company SET "billingEmail" = 'billing@' || "name", "blogUrl" = "name" || '.blog', "blogPrimaryLinkLabel" = 'mine'`,
    );
    const before = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);

    const outcome = await new UpgradeRunner(db.dataSource).upgrade(workspace, '0.23', { batchSize: 2 });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('person.email cannot become emails (EMAILS): field "emails" is in the way');
    const after = await workspaceSnapshot(db.client, workspace.id, workspace.schemaName);
    expect({ ...after, metadata: { ...after.metadata, workspace: null } }).toEqual({
      ...before,
      metadata: { ...before.metadata, workspace: null },
    });

    await renameCustomField(workspace, 'person', 'emails', 'emailsCustom');
    const links = await new UpgradeRunner(db.dataSource).upgrade(await reload(workspace.id), '0.23', { batchSize: 2 });
    expect(links.status).toBe('failed');
    expect(links.message).toContain('company.blog cannot become blog (LINKS): field "blogPrimaryLinkLabel" is in the way');
    expect((await db.client.query(`SELECT DISTINCT "blogPrimaryLinkLabel" AS label FROM "${workspace.schemaName}".company`)).rows).toEqual([
      { label: 'mine' },
    ]);
    const domainColumns = (
      await db.client.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'company' AND column_name LIKE 'domainName%' ORDER BY 1`,
        [workspace.schemaName],
      )
    ).rows;
    expect(domainColumns.map((row) => row.column_name)).toEqual(['domainNameLabel', 'domainNameUrl']);

    await renameCustomField(workspace, 'company', 'blogPrimaryLinkLabel', 'blogNote');
    const rerun = await new UpgradeRunner(db.dataSource).upgrade(await reload(workspace.id), '0.23', { batchSize: 2 });
    expect({ status: rerun.status, message: rerun.message }).toEqual({ status: 'upgraded', message: null });
    const companies = (
      await db.client.query(
        `SELECT "name", "billingEmailPrimaryEmail" AS email, "blogPrimaryLinkUrl" AS url, "blogNote" AS note FROM "${workspace.schemaName}".company`,
      )
    ).rows;
    expect(companies.length).toBeGreaterThan(0);
    for (const company of companies) {
      expect(company).toEqual({ name: company.name, email: `billing@${company.name}`, url: `https://${company.name}.blog`, note: 'mine' });
    }
  });

  it('a custom LINK field whose column is one of the new columns of another (domainNamePrimaryLink -> domainNamePrimaryLinkUrl) is in the way too', async () => {
    const { workspace } = await new WorkspaceCreationService(db.dataSource, declared).create({
      displayName: 'Custom LINK in the way',
      version: '0.22',
    });
    await new CustomMetadataService(db.dataSource, declared).createField(workspace.id, 'company', {
      name: 'domainNamePrimaryLink',
      label: 'Primary',
      type: 'LINK',
    });
    await db.client.query(
      `UPDATE "${workspace.schemaName}".company SET "domainNamePrimaryLinkUrl" = 'mine.example', "domainNamePrimaryLinkLabel" = 'Mine'`,
    );
    const outcome = await new UpgradeRunner(db.dataSource).upgrade(workspace, '0.23', { batchSize: 2 });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('company.domainName cannot become domainName (LINKS): field "domainNamePrimaryLink" is in the way');
    const values = (
      await db.client.query(
        `SELECT DISTINCT "domainNamePrimaryLinkUrl" AS url, "domainNamePrimaryLinkLabel" AS label FROM "${workspace.schemaName}".company`,
      )
    ).rows;
    expect(values).toEqual([{ url: 'mine.example', label: 'Mine' }]);
  });

  it('a custom company.addressOld: the upgrade fails naming it, keeps its values, and finishes once it is renamed', async () => {
    const { workspace, values } = await workspaceWithCustomField('company', 'addressOld');
    const addresses = (await db.client.query(`SELECT "id"::text AS id, "address" FROM "${workspace.schemaName}".company ORDER BY "id"`))
      .rows;

    const outcome = await new UpgradeRunner(db.dataSource).upgrade(workspace, '0.23', { batchSize: 2 });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('company already has a field "addressOld"; rename it, then run the step again');
    expect(await workspaceVersion(db.client, workspace.id)).toBe('0.22');
    const unchanged = (
      await db.client.query(`SELECT "id"::text AS id, "addressOld" AS value FROM "${workspace.schemaName}".company ORDER BY "id"`)
    ).rows;
    expect(unchanged).toEqual(values);

    await renameCustomField(workspace, 'company', 'addressOld', 'addressOldCustom');
    const rerun = await new UpgradeRunner(db.dataSource).upgrade(await reload(workspace.id), '0.23', { batchSize: 2 });
    expect({ status: rerun.status, message: rerun.message }).toEqual({ status: 'upgraded', message: null });
    expect(
      (await db.client.query(`SELECT "id"::text AS id, "addressOldCustom" AS value FROM "${workspace.schemaName}".company ORDER BY "id"`))
        .rows,
    ).toEqual(values);
    expect(
      (await db.client.query(`SELECT "id"::text AS id, "addressOld" AS address FROM "${workspace.schemaName}".company ORDER BY "id"`)).rows,
    ).toEqual(addresses);
  });
});
