import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const CLI_ENTRY = resolve(PROJECT_ROOT, 'dist', 'src', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a user does (`npm run command:prod -- ...` runs this same file), with a
 * clean environment plus `env`. `DATABASE_URL: undefined` selects the embedded database.
 */
export const runCli = (args: string[], env: Record<string, string | undefined> = {}, cwd = PROJECT_ROOT): Promise<CliResult> =>
  new Promise((resolvePromise, reject) => {
    const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    for (const [key, value] of Object.entries(env)) {
      if (value !== undefined) childEnv[key] = value;
    }
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], { cwd, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
