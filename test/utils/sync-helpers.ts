import { DeclaredSchema } from '../../src/declarations/declared-schema';
import { SyncOptions, WorkspaceSyncService } from '../../src/sync/workspace-sync.service';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRepository, WorkspaceRow } from '../../src/metadata/workspace.repository';
import { catalogSnapshot, comparableMetadata } from './schema-snapshot';
import { TestServices } from './test-services';
import { WorkspaceOutcome } from '../../src/sync/sync-result';

/** Creating, re-reading and syncing workspaces of a spec's test database, and what a synced one must be. */
export const syncHelpers = (db: TestServices) => {
  const create = async (declared: DeclaredSchema, displayName: string, prefill = false): Promise<WorkspaceRow> =>
    (await new WorkspaceCreationService(db.dataSource, declared).createFrom(declared, { displayName, prefill })).workspace;

  const reload = async (id: string): Promise<WorkspaceRow> => (await new WorkspaceRepository(db.dataSource.manager).findById(id))!;

  const sync = async (declared: DeclaredSchema, workspace: WorkspaceRow, options: SyncOptions = {}): Promise<WorkspaceOutcome> =>
    new WorkspaceSyncService(db.dataSource, declared).sync(workspace, options);

  /** A comparison of the whole workspace finds nothing left to do. */
  const expectConverged = async (declared: DeclaredSchema, id: string): Promise<void> => {
    const check = await sync(declared, await reload(id), { dryRun: true, check: true });
    expect({ status: check.status, actions: check.plan?.actions.map((action) => action.summary), refusals: check.plan?.refusals }).toEqual({
      status: 'up-to-date',
      actions: [],
      refusals: [],
    });
  };

  /** Metadata rows and catalog equal those of a workspace created fresh from `declared` (column order aside). */
  const expectSameAsFresh = async (id: string, declared: DeclaredSchema): Promise<void> => {
    const synced = await reload(id);
    const fresh = await create(declared, 'Fresh');
    expect(await comparableMetadata(db.client, synced.id)).toEqual(await comparableMetadata(db.client, fresh.id));
    const catalog = async (schema: string) => {
      const snapshot = await catalogSnapshot(db.client, schema);
      return { ...snapshot, columns: snapshot.columns.map(({ position: _position, ...column }) => column) };
    };
    expect(await catalog(synced.schemaName)).toEqual(await catalog(fresh.schemaName));
  };

  return { create, reload, sync, expectConverged, expectSameAsFresh };
};
