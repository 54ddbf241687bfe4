import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { runCli } from '../utils/cli';
import { useTestDatabase } from '../utils/test-services';

/**
 * One exit-status rule for every command, as `--help` states it: 2 only for a command line that
 * cannot be parsed (nothing read or written); an unknown or missing workspace, object or file,
 * refused work and failed work are 1; success is 0.
 */
describe('exit status of every command', () => {
  const db = useTestDatabase();
  const GHOST = '11111111-1111-4111-8111-111111111111';
  let id: string;
  let dir: string;
  let participants: string;
  let badCsv: string;

  beforeAll(async () => {
    id = (await new WorkspaceCreationService(db.dataSource, buildStandardDeclarations()).create({ displayName: 'Exit codes' })).workspace
      .id;
    dir = mkdtempSync(join(tmpdir(), 'wms-exit-'));
    participants = join(dir, 'participants.csv');
    writeFileSync(participants, 'email,displayName\nada@example.com,Ada\n');
    badCsv = join(dir, 'bad.csv');
    writeFileSync(badCsv, 'Name / First Name,Salary\nAda,5\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // [command line, exit status, what it says]; `ID` is the workspace, `FILE`/`BAD` the CSV files.
  const cases: Array<[string, number, RegExp]> = [
    ['database:migrate --no-such-option', 2, /unknown option '--no-such-option'/],
    ['database:reset', 1, /Pass --yes to confirm/],
    ['workspace:list --json --limit 3', 2, /unknown option '--limit'/],
    ['workspace:create --name X --version 9.9', 2, /--version must be one of 0\.22, 0\.23, 0\.24, 0\.25; got "9\.9"/],
    ['workspace:create --name', 2, /argument missing/],
    ['workspace:seed:demo --records many', 2, /--records takes a whole number/],
    ['workspace:sync-metadata -w not-a-uuid', 2, /--workspace-id takes a workspace id \(a UUID\)/],
    ['workspace:sync-metadata -w ID --workspace-count-limit 1', 2, /cannot be combined/],
    [`workspace:sync-metadata -w ${GHOST}`, 1, /workspace 11111111-1111-4111-8111-111111111111 does not exist/],
    ['workspace:sync-metadata --queue', 1, /--queue needs Redis: set REDIS_URL/],
    [`workspace:health -w ${GHOST}`, 1, /workspace 11111111-1111-4111-8111-111111111111 does not exist/],
    ['upgrade --dedupe keep-newest', 2, /--dedupe takes one of keep-oldest/],
    [`upgrade -w ${GHOST}`, 1, /workspace 11111111-1111-4111-8111-111111111111 does not exist/],
    [`upgrade:latest -d -w ${GHOST}`, 1, /workspace 11111111-1111-4111-8111-111111111111 does not exist/],
    [`upgrade-0.24 -w ${GHOST}`, 1, /workspace 11111111-1111-4111-8111-111111111111 does not exist/],
    [`upgrade:status -w ${GHOST}`, 1, /workspace 11111111-1111-4111-8111-111111111111 does not exist/],
    ['upgrade:mark-applied --version 9.9 -w ID', 2, /--version must be one of/],
    ['upgrade:mark-applied --version 0.24', 2, /needs the workspaces named with -w/],
    [`object:create -w ${GHOST} --name-singular invoice --name-plural invoices`, 1, /--workspace-id: workspace .* does not exist/],
    ['object:create -w ID --name-singular Invoice --name-plural invoices', 1, /--name-singular "Invoice" must be camelCase/],
    ['object:create -w ID --name-singular invoice', 2, /required option '--name-plural <name>' not specified/],
    [
      'field:create -w ID --object person --name tier --type STRING',
      2,
      /--type "STRING" is not a field type; use one of UUID, TEXT, NUMBER/,
    ],
    [
      'field:create -w ID --object ghost --name tier --type TEXT',
      1,
      /--object "ghost" does not exist in this workspace; objects are named by their singular or plural name/,
    ],
    ['field:create -w ID --object people --name score --type NUMBER --default "high"', 1, /--default is invalid for NUMBER/],
    [
      'field:create -w ID --object person --name score --type NUMBER --required',
      1,
      /--required: a field that is not nullable needs a --default/,
    ],
    ['field:create -w ID --object person --name score --type NUMBER --default {', 2, /--default takes JSON/],
    ['snapshot:generate --out-dir', 2, /argument missing/],
    ['records:export -w ID --object ghost', 1, /object "ghost" does not exist/],
    [`records:export -w ${GHOST} --object person`, 1, /workspace .* does not exist/],
    ['records:import -w ID --object person --file /no/such.csv', 1, /--file: no file at \/no\/such\.csv/],
    ['records:import -w ID --object person --file BAD', 1, /the column "Salary" matches no field.*Nothing was written/],
    [`contacts:import-from-emails -w ${GHOST} --file FILE`, 1, /workspace .* does not exist/],
    ['worker', 1, /worker needs Redis: set REDIS_URL/],
    ['no-such-command', 2, /unknown command 'no-such-command'/],
  ];

  it.each(cases)('%s exits %i', async (line, code, said) => {
    const args = line.split(' ').map((arg) => (arg === 'ID' ? id : arg === 'FILE' ? participants : arg === 'BAD' ? badCsv : arg));
    const result = await runCli(args, { DATABASE_URL: db.database.url });
    expect({ code: result.code, output: `${result.stdout}${result.stderr}` }).toEqual({ code, output: expect.stringMatching(said) });
    if (code === 2) expect(result.stdout).toBe('');
  });

  it('states the rule in --help, of the CLI and of each command', async () => {
    for (const args of [['--help'], ['upgrade', '--help'], ['field:create', '--help']]) {
      const result = await runCli(args, {});
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Exit status:');
      expect(result.stdout).toMatch(/^ {2}2 {2}the command line cannot be parsed/m);
    }
  });
});
