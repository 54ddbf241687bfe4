import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { Client } from 'pg';
import * as ts from 'typescript';

import { CLI_ENTRY, PROJECT_ROOT, QUIET_ENV } from '../../utils/cli';

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Called with each line the process writes on stderr; may write to its stdin. */
  onStderrLine?: (line: string, stdin: NodeJS.WritableStream) => void | Promise<void>;
  /** Read nothing of stdout until stderr shows this (e.g. the summary line): a reader slower than the writer. */
  holdStdoutUntilStderr?: RegExp;
}

/** Runs a node script with a clean environment, reporting the signal that ended it too. */
export const runNode = (script: string, args: string[], options: RunOptions = {}): Promise<ProcessResult> =>
  new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...QUIET_ENV };
    for (const [key, value] of Object.entries(options.env ?? {})) {
      if (value !== undefined) env[key] = value;
    }
    const child = spawn(process.execPath, [script, ...args], { cwd: PROJECT_ROOT, env });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    if (options.holdStdoutUntilStderr) child.stdout.pause();
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (options.holdStdoutUntilStderr?.test(stderr)) child.stdout.resume();
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) void Promise.resolve(options.onStderrLine?.(line, child.stdin)).catch(reject);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });

/** The built product CLI (`npm run command:prod`). */
export const runProductCli = (args: string[], options: RunOptions = {}): Promise<ProcessResult> => runNode(CLI_ENTRY, args, options);

/** Lines of stderr that report something, without the database line and the fault-injection lines. */
export const stderrProblems = (result: ProcessResult): string[] =>
  result.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('Database: ') && !line.startsWith('wms-fault: '));

/** The number of queries a run printed with WMS_FAULT_COUNT_QUERIES=1. */
export const queriesOf = (result: ProcessResult): number => {
  const match = /wms-fault: (\d+) queries/.exec(result.stderr);
  if (!match) throw new Error(`the run printed no query count: ${result.stderr}`);
  return Number(match[1]);
};

const SOURCE_DIRECTORIES = ['src', 'test/fixtures', 'test/reliability/support'];

const tsFiles = (directory: string): string[] =>
  readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });

/**
 * The fixture CLI (the product's commands on a test declaration set), transpiled once into a
 * directory of its own under node_modules/.cache so that each run starts as fast as the built CLI.
 */
export class FixtureCli {
  private constructor(
    private readonly directory: string,
    readonly entry: string,
  ) {}

  static build(): FixtureCli {
    const directory = join(
      PROJECT_ROOT,
      'node_modules',
      '.cache',
      `wms-fixture-cli-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    );
    const compilerOptions: ts.CompilerOptions = {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      esModuleInterop: true,
      resolveJsonModule: true,
    };
    for (const root of SOURCE_DIRECTORIES) {
      for (const file of tsFiles(join(PROJECT_ROOT, root))) {
        const out = join(directory, relative(PROJECT_ROOT, file)).replace(/\.ts$/, '.js');
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file }).outputText);
      }
    }
    const snapshots = join(PROJECT_ROOT, 'src', 'standard-objects', 'snapshots');
    mkdirSync(join(directory, 'src', 'standard-objects', 'snapshots'), { recursive: true });
    for (const name of readdirSync(snapshots)) {
      copyFileSync(join(snapshots, name), join(directory, 'src', 'standard-objects', 'snapshots', name));
    }
    return new FixtureCli(directory, join(directory, 'test', 'reliability', 'support', 'fixture-cli.js'));
  }

  run(declarations: string, args: string[], options: RunOptions = {}): Promise<ProcessResult> {
    return runNode(this.entry, args, { ...options, env: { WMS_TEST_DECLARATIONS: declarations, ...options.env } });
  }

  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/**
 * Waits until no session of the service is left on the database: a killed process's backend (and
 * the advisory locks it held) ends once the server sees the socket closed.
 */
export const waitForServiceSessionsToEnd = async (client: Client): Promise<void> => {
  for (let attempt = 0; attempt < 100_000; attempt += 1) {
    const { rows } = await client.query(
      `SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'workspace-metadata-sync'`,
    );
    if (rows[0].count === 0) return;
  }
  throw new Error('a killed process still has a session on the database');
};
