import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { createFleet, FleetWorkspace } from '../fleet/fleet.fixtures';
import { CLI_ENTRY, CliResult, QUIET_ENV, runCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { logLinesOf } from './operations.spec-support';

const EMAIL_STEP = 'migrate-email-fields-to-emails';
const PEOPLE = 1_200;
const BATCH = '500';
/** What a terminal gets besides the text: cursor moves, clearing, colours. */
const ESCAPES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

/**
 * The built CLI on a pseudo-terminal (util-linux `script`), 200 columns wide so no bar is cut;
 * returns what the terminal showed, one entry per line or redraw (an escape ends one).
 */
const runOnTerminal = (args: string[], env: Record<string, string>, cwd: string): Promise<CliResult & { screens: string[] }> =>
  new Promise((resolve, reject) => {
    const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
    const command = `stty cols 200 rows 40; exec ${[process.execPath, CLI_ENTRY, ...args].map(quote).join(' ')}`;
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...QUIET_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        screens: stdout
          .replace(ESCAPES, '\n')
          .split(/[\r\n]+/)
          .filter((line) => line.trim() !== ''),
      }),
    );
  });

/** The progress bars a walk draws on a terminal, and the plain lines it prints instead when stderr is not one. */
describe('progress of a walk on a terminal and off it', () => {
  let cwd: string;
  let database: TestDatabase;
  let client: Client;
  let fleet: FleetWorkspace[];

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wms-terminal-'));
    database = await createTestDatabase();
    client = await connectClient(database.url);
    fleet = await createFleet(database.url, 2, '0.22');
    // People with an email at 0.22: the move of 0.23 carries them in batches of 500.
    for (const workspace of fleet) {
      await client.query(
        `INSERT INTO "${workspace.schemaName}"."person" ("email") SELECT 'p' || n || '@old.test' FROM generate_series(1, ${PEOPLE}) AS n`,
      );
    }
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('on a terminal: a bar of rows done/total with rate and time left for each batch of a move, under the walk’s bar', async () => {
    const [workspace] = fleet;
    const run = await runOnTerminal(['upgrade', '-w', workspace.id, '--batch-size', BATCH], { DATABASE_URL: database.url }, cwd);
    expect(run.code).toBe(0);
    expect(run.screens.at(-1)).toBe('1 succeeded, 0 failed, 0 skipped');

    const moveBar = new RegExp(
      `^ {3}[\u2588\u2591]+ (\\d+)/${PEOPLE} rows \\| (\\d+) rows/s \\| (\\S+) left \\| ${EMAIL_STEP} \\(move\\) ${workspace.id.slice(0, 8)}$`,
    );
    const frames = run.screens.flatMap((screen) => {
      const match = moveBar.exec(screen);
      return match ? [{ done: Number(match[1]), rate: Number(match[2]), left: match[3] }] : [];
    });
    // One frame at least per batch: before the first, after 500, 1000 and 1200 rows.
    expect([...new Set(frames.map((frame) => frame.done))]).toEqual([0, 500, 1_000, PEOPLE]);
    expect(frames[0]).toEqual({ done: 0, rate: 0, left: '?' });
    for (const frame of frames.filter((candidate) => candidate.done > 0)) {
      expect(frame.rate).toBeGreaterThan(0);
      expect(frame.left).toMatch(/^(\d+h )?(\d+m )?\d+s$/);
    }
    expect(run.screens).toContainEqual(expect.stringMatching(/^ [\u2588\u2591]+ 0\/1 workspaces \| [\d.]+\/s \| \S+ left$/));
    // Log lines go above the bars when asked for; here none is.
    expect(logLinesOf(run.stdout.replace(ESCAPES, ''))).toEqual([]);
  });

  it('off a terminal: no bar and no escape, the move’s progress as log lines', async () => {
    const workspace = fleet[1];
    const run = await runCli(
      ['upgrade', '-w', workspace.id, '--batch-size', BATCH],
      { DATABASE_URL: database.url, LOG_LEVEL: 'info', PROGRESS_INTERVAL_MS: '0' },
      cwd,
    );
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('1 succeeded, 0 failed, 0 skipped');
    expect(`${run.stdout}${run.stderr}`).not.toMatch(ESCAPES);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/[\u2588\u2591]/);
    const moves = logLinesOf(run.stderr).filter((line) => line.step === EMAIL_STEP && line.task === 'move');
    expect(moves.map((line) => line.msg.replace(/, \d+ rows\/s, .*$/, ''))).toEqual([
      `${EMAIL_STEP} (move) of workspace ${workspace.id}: 0/${PEOPLE} rows`,
      `${EMAIL_STEP} (move) of workspace ${workspace.id}: 500/${PEOPLE} rows`,
      `${EMAIL_STEP} (move) of workspace ${workspace.id}: 1000/${PEOPLE} rows`,
      `${EMAIL_STEP} (move) of workspace ${workspace.id}: ${PEOPLE}/${PEOPLE} rows`,
      `${EMAIL_STEP} (move) of workspace ${workspace.id}: ${PEOPLE}/${PEOPLE} rows`,
    ]);
  });
});
