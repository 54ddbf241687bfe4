import { CoreSchema1763769600000 } from './1763769600000-core-schema';
import { ApiKeys1764028800000 } from './1764028800000-api-keys';
import { DeclaredStates1764201600000 } from './1764201600000-declared-states';
import { SyncExpectations1764460800000 } from './1764460800000-sync-expectations';
import { ObjectProperties1764720000000 } from './1764720000000-object-properties';
import { ForeignKeyIndexes1764979200000 } from './1764979200000-foreign-key-indexes';
import { WalkRuns1765065600000 } from './1765065600000-walk-runs';
import { WorkspaceDefaultCountry1765238400000 } from './1765238400000-workspace-default-country';

/** Every core migration, in order. Listed explicitly so the build needs no glob at run time. */
export const CORE_MIGRATIONS = [
  CoreSchema1763769600000,
  ApiKeys1764028800000,
  DeclaredStates1764201600000,
  SyncExpectations1764460800000,
  ObjectProperties1764720000000,
  ForeignKeyIndexes1764979200000,
  WalkRuns1765065600000,
  WorkspaceDefaultCountry1765238400000,
];
