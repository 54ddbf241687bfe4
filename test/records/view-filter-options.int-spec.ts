import { RecordService } from '../../src/records/record.service';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { DEAL_STAGE_OPTIONS, DEAL_TAG_OPTIONS, dealOptionsSet, renamedOption } from '../fixtures/declarations/deal-options';
import { syncHelpers } from '../utils/sync-helpers';
import { useTestDatabase } from '../utils/test-services';

/**
 * A view filter names SELECT and MULTI_SELECT options by value: when a value is renamed by its
 * option id, the sync rewrites the stored filter values in the same plan, so the view lists the
 * same records as before.
 */
describe('view filters on options renamed by id', () => {
  const db = useTestDatabase();
  const { create, reload, sync, expectConverged, expectSameAsFresh } = syncHelpers(db);
  let records: RecordService;
  let workspace: WorkspaceRow;
  const views: Record<string, string> = {};
  const filters: Record<string, string> = {};

  const WON = DEAL_STAGE_OPTIONS[1];
  const PARTNER = DEAL_TAG_OPTIONS[1];
  const renamed = dealOptionsSet({
    stageOptions: renamedOption(DEAL_STAGE_OPTIONS, WON.id!, 'closedWon'),
    tagOptions: renamedOption(DEAL_TAG_OPTIONS, PARTNER.id!, 'partner-org'),
  });

  const listed = async (view: string): Promise<string[]> =>
    (await records.list(workspace.id, 'deal', { viewId: views[view] })).records.map((record) => record.name as string).sort();

  const filterValues = async (): Promise<Record<string, string>> => {
    const { rows } = await db.client.query(`SELECT "id", "value" FROM "${workspace.schemaName}"."viewFilter"`);
    const byId = new Map(rows.map((row) => [row.id, row.value]));
    return Object.fromEntries(Object.entries(filters).map(([name, id]) => [name, byId.get(id)]));
  };

  beforeAll(async () => {
    workspace = await create(dealOptionsSet(), 'Deal options');
    records = new RecordService(db.dataSource);
    for (const [name, stage, tags] of [
      ['A', 'Won', ['vip']],
      ['B', 'open', ['Partner', 'cold']],
      ['C', 'LOST', ['Partner']],
      ['D', 'Won', []],
    ] as const) {
      await records.create(workspace.id, 'deal', { name, stage, tags: [...tags] });
    }
    const { rows: fields } = await db.client.query(
      `SELECT f."name", f."id", o."id" AS "objectId" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
        WHERE f."workspaceId" = $1 AND o."nameSingular" = 'deal'`,
      [workspace.id],
    );
    const fieldId = (name: string) => fields.find((row) => row.name === name).id as string;
    const definitions = [
      ['wonOrLost', 'stage', 'is', '["Won","LOST"]'],
      ['won', 'stage', 'is', 'Won'],
      ['notWon', 'stage', 'isNot', '["Won"]'],
      ['partner', 'tags', 'is', '["Partner"]'],
      ['nameWon', 'name', 'contains', 'Won'],
    ] as const;
    for (const [position, [name, field, operand, value]] of definitions.entries()) {
      const view = await records.create(workspace.id, 'view', {
        name,
        objectMetadataId: fields[0].objectId,
        type: 'table',
        key: 'INDEX',
        icon: '',
        position: position + 1,
      });
      views[name] = view.id as string;
      const filter = await records.create(workspace.id, 'viewFilter', {
        viewId: view.id,
        fieldMetadataId: fieldId(field),
        operand,
        value,
        displayValue: value,
      });
      filters[name] = filter.id as string;
    }
  });

  it('lists the same records after the rename, each filter naming the new value', async () => {
    const before = {
      wonOrLost: await listed('wonOrLost'),
      won: await listed('won'),
      notWon: await listed('notWon'),
      partner: await listed('partner'),
    };
    expect(before).toEqual({ wonOrLost: ['A', 'C', 'D'], won: ['A', 'D'], notWon: ['B', 'C'], partner: ['B', 'C'] });

    const outcome = await sync(renamed, await reload(workspace.id));
    expect({ status: outcome.status, message: outcome.message }).toEqual({ status: 'applied', message: null });
    // The filters are rewritten by the actions that rename the labels, in the same plan.
    const statements = outcome.plan!.actions.flatMap((action) => action.statements.map((statement) => statement.sql));
    expect(statements.filter((sql) => sql.includes('"viewFilter"'))).toHaveLength(2);

    expect(await filterValues()).toEqual({
      wonOrLost: '["closedWon","LOST"]',
      won: 'closedWon',
      notWon: '["closedWon"]',
      partner: '["partner-org"]',
      // A filter on another field keeps its value, even one that reads like a renamed option.
      nameWon: 'Won',
    });
    expect({
      wonOrLost: await listed('wonOrLost'),
      won: await listed('won'),
      notWon: await listed('notWon'),
      partner: await listed('partner'),
    }).toEqual(before);
    const { rows } = await db.client.query(
      `SELECT "name", "stage"::text AS "stage", "tags"::text[] AS "tags" FROM "${workspace.schemaName}"."deal" ORDER BY "name"`,
    );
    expect(rows).toEqual([
      { name: 'A', stage: 'closedWon', tags: ['vip'] },
      { name: 'B', stage: 'open', tags: ['partner-org', 'cold'] },
      { name: 'C', stage: 'LOST', tags: ['partner-org'] },
      { name: 'D', stage: 'closedWon', tags: [] },
    ]);
    await expectConverged(renamed, workspace.id);
    await expectSameAsFresh(workspace.id, renamed);
  });
});
