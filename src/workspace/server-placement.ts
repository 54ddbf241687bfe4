/** How many workspaces a reachable server of the directory holds now. */
export interface ServerLoad {
  name: string;
  workspaces: number;
}

/**
 * Where a new workspace goes when no server is named: the server with the fewest workspaces, the
 * first in directory order (main first) among equals. Null when no server is reachable.
 */
export const pickServer = (loads: ServerLoad[]): string | null =>
  loads.reduce<ServerLoad | null>((best, load) => (best === null || load.workspaces < best.workspaces ? load : best), null)?.name ?? null;
