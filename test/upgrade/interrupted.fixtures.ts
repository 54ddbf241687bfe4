import { spawn } from 'node:child_process';

import { Client } from 'pg';

import { CLI_ENTRY, PROJECT_ROOT } from '../utils/cli';

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
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });

/** Exit 0, and no error reported (stderr carries only the line naming the database). */
export const expectSucceeded = (result: ProcessResult): void => {
  expect({ code: result.code, signal: result.signal, errors: result.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('Database: ')) }).toEqual({
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
    const { rows } = await client.query(`SELECT count(*)::int AS count FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    if (rows[0].count === 0) return;
  }
  throw new Error('the killed process still holds its advisory lock');
};
