import { DeclaredSchema } from '../declarations/declared-schema';
import snapshot022 from './snapshots/0.22.json';
import snapshot023 from './snapshots/0.23.json';
import snapshot024 from './snapshots/0.24.json';
import snapshot025 from './snapshots/0.25.json';
import { CURRENT_VERSION } from './version.constant';

/**
 * Each released version's standard declarations, frozen as data. A workspace can be created at
 * an old version, and upgrade steps read the shapes of their own version from here, never from
 * today's classes.
 */
const SNAPSHOTS: ReadonlyMap<string, DeclaredSchema> = new Map([
  ['0.22', snapshot022 as unknown as DeclaredSchema],
  ['0.23', snapshot023 as unknown as DeclaredSchema],
  ['0.24', snapshot024 as unknown as DeclaredSchema],
  ['0.25', snapshot025 as unknown as DeclaredSchema],
]);

export const SNAPSHOT_FILE_DIRECTORY = 'src/standard-objects/snapshots';

export const snapshotFileName = (version: string): string => `${version}.json`;

export const snapshotVersions = (): string[] => [...SNAPSHOTS.keys()];

export class UnknownVersionError extends Error {
  constructor(version: string) {
    super(`Unknown version "${version}". Known versions: ${snapshotVersions().join(', ')}.`);
    this.name = 'UnknownVersionError';
  }
}

export const getVersionSnapshot = (version: string): DeclaredSchema => {
  const snapshot = SNAPSHOTS.get(version);
  if (!snapshot) {
    throw new UnknownVersionError(version);
  }
  return snapshot;
};

/** The text of a snapshot file: stable key order as built, two-space indented, final newline. */
export const serializeSnapshot = (schema: DeclaredSchema): string => `${JSON.stringify(schema, null, 2)}\n`;

export { CURRENT_VERSION };
