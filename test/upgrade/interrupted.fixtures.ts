import { spawn } from 'node:child_process';

import { Client } from 'pg';

import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { CLI_ENTRY, PROJECT_ROOT, QUIET_ENV } from '../utils/cli';
import { catalogSnapshot, comparableMetadata, tableData } from '../utils/schema-snapshot';
import { ledgerRows, viewLayout, workspaceVersion } from './upgrade-0-23.fixtures';

// Helpers shared by the specs that kill an upgrade mid-run and run it again.

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The built CLI, as runCli starts it, reporting the signal that ended it too. */
export const runCliProcess = (args: string[], env: Record<string, string>): Promise<ProcessResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...QUIET_ENV, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });

/** Exit 0, and no error reported (stderr carries only the line naming the database). */
export const expectSucceeded = (result: ProcessResult): void => {
  expect({
    code: result.code,
    signal: result.signal,
    errors: result.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('Database: ')),
  }).toEqual({
    code: 0,
    signal: null,
    errors: [],
  });
};

export const expectKilled = (result: ProcessResult): void => {
  expect({ code: result.code, signal: result.signal }).toEqual({ code: null, signal: 'SIGKILL' });
};

/** The killed process's session (and its advisory lock) ends when the server sees the socket close. */
export const waitForSessionsToEnd = async (client: Client): Promise<void> => {
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    const { rows } = await client.query(
      `SELECT count(*)::int AS count FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    if (rows[0].count === 0) return;
  }
  throw new Error('the killed process still holds its advisory lock');
};

/**
 * A resumed workspace ends as the uninterrupted reference: its version, every row of `tables`
 * (each holding `rows` rows; ids are the same in both workspaces), the metadata, the catalog, the
 * views and the ledger.
 */
export const expectSameEndState = async (
  client: Client,
  workspace: WorkspaceRow,
  reference: WorkspaceRow,
  version: string,
  tables: Record<string, number>,
): Promise<void> => {
  expect(await workspaceVersion(client, workspace.id)).toBe(version);
  const data = await tableData(client, workspace.schemaName);
  const expected = await tableData(client, reference.schemaName);
  for (const [table, rows] of Object.entries(tables)) {
    expect({ table, rows: Object.keys(data[table]).length }).toEqual({ table, rows });
    expect(data[table]).toEqual(expected[table]);
  }
  expect(await comparableMetadata(client, workspace.id)).toEqual(await comparableMetadata(client, reference.id));
  expect(await catalogSnapshot(client, workspace.schemaName)).toEqual(await catalogSnapshot(client, reference.schemaName));
  expect(await viewLayout(client, workspace.schemaName)).toEqual(await viewLayout(client, reference.schemaName));
  const ledger = async (id: string) =>
    (await ledgerRows(client, id)).map(({ step, status, checksum, rowsAffected, error }) => ({
      step,
      status,
      checksum,
      rowsAffected,
      error,
    }));
  expect(await ledger(workspace.id)).toEqual(await ledger(reference.id));
};
