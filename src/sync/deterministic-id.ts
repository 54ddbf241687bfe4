import { createHash } from 'node:crypto';

/**
 * A name-based (version 5 style) UUID. Metadata ids derive from the workspace and the standardIds,
 * so a dry run shows exactly the SQL the real run executes.
 */
export const deterministicUuid = (...parts: string[]): string => {
  const bytes = createHash('sha1').update(parts.join('\u001f')).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** The id a workspace's creation gives the metadata row of a standard object. */
export const standardObjectId = (workspaceId: string, standardId: string): string => deterministicUuid(workspaceId, 'object', standardId);
