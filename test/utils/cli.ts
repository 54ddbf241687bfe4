import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const CLI_ENTRY = resolve(PROJECT_ROOT, 'dist', 'src', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * What a spawned process of the product gets unless a test says otherwise: no log lines (specs of
 * the logs ask for them), and a worker's operations port chosen free (workers run in parallel).
 */
export const QUIET_ENV = { LOG_LEVEL: 'silent', WORKER_PORT: '0' };

/** The built CLI in a process of its own, with a clean environment plus `env` (undefined values left out). */
const spawnCli = (args: string[], env: Record<string, string | undefined>, cwd: string) => {
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...QUIET_ENV };
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined) childEnv[key] = value;
  }
  return spawn(process.execPath, [CLI_ENTRY, ...args], { cwd, env: childEnv });
};

/**
 * Runs the built CLI as a user does (`npm run command:prod -- ...` runs this same file), with a
 * clean environment plus `env`. `DATABASE_URL: undefined` selects the embedded database.
 */
export const runCli = (args: string[], env: Record<string, string | undefined> = {}, cwd = PROJECT_ROOT): Promise<CliResult> =>
  new Promise((resolvePromise, reject) => {
    const child = spawnCli(args, env, cwd);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited: its exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when stderr or stdout has printed `text`. */
  printed(text: string): Promise<void>;
}

/** Starts the built CLI and returns at once: for long-running commands (worker) and for signals. */
export const startCli = (args: string[], env: Record<string, string | undefined> = {}, cwd = PROJECT_ROOT): CliProcess => {
  const child = spawnCli(args, env, cwd);
  let stdout = '';
  let stderr = '';
  const waiting: Array<{ text: string; resolve: () => void }> = [];
  const check = () => {
    for (const wait of [...waiting]) {
      if (stdout.includes(wait.text) || stderr.includes(wait.text)) {
        waiting.splice(waiting.indexOf(wait), 1);
        wait.resolve();
      }
    }
  };
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    check();
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
    check();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise) =>
    child.on('close', (code, signal) => resolvePromise({ code, signal })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    printed: (text) =>
      new Promise<void>((resolvePromise, reject) => {
        waiting.push({ text, resolve: resolvePromise });
        check();
        void exited.then(() => {
          check();
          if (waiting.some((wait) => wait.text === text)) reject(new Error(`exited without printing "${text}": ${stderr}`));
        });
      }),
  };
};
