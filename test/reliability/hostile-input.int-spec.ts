import { Client } from 'pg';
import { DataSource, Logger } from 'typeorm';

import { InvalidArgumentError } from 'commander';

import { FieldCreateCommand, ObjectCreateCommand } from '../../src/cli/custom-metadata.commands';
import { SyncMetadataCommand } from '../../src/cli/sync-metadata.command';
import { UPGRADE_COMMANDS } from '../../src/cli/upgrade.command';
import { UpgradeMarkAppliedCommand } from '../../src/cli/upgrade-mark-applied.command';
import { UpgradeStatusCommand } from '../../src/cli/upgrade-status.command';
import { WorkspaceHealthCommand } from '../../src/cli/workspace-health.command';
import { WorkspaceWalkCommand } from '../../src/cli/workspace-walk.command';
import { MIGRATIONS_TABLE } from '../../src/database/database.service';
import { CORE_MIGRATIONS } from '../../src/database/migrations';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { WorkspaceSyncService } from '../../src/sync/workspace-sync.service';
import { ActualStateRepository } from '../../src/metadata/actual-state.repository';
import { checkWorkspaceHealth } from '../../src/sync/workspace-health';
import { UpgradeRunner } from '../../src/upgrade/upgrade.runner';
import { CustomMetadataService } from '../../src/custom-metadata/custom-metadata.service';
import { WorkspaceCreationError, WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { WorkspaceRepository, WorkspaceRow } from '../../src/metadata/workspace.repository';
import { workspaceSnapshot } from '../utils/schema-snapshot';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { databaseFingerprint } from './support/database-fingerprint';
import { ProcessResult, runProductCli } from './support/processes';
import { CustomMetadataError } from '../../src/custom-metadata/custom-metadata.error';

/**
 * Hostile input at every entry point of the CLI and of the services behind it: quotes, semicolons,
 * SQL, very long strings, Unicode, control characters, empty values, wrong types. Each is refused
 * with a clear message and the right exit status (2: bad arguments, 1: refused work); afterwards
 * the catalog and every row of the database are exactly as before. Free text that is valid (a
 * workspace name with quotes and SQL in it) is stored verbatim and touches nothing else. And the
 * operations on workspace A never read or write workspace B's schema.
 */

const INJECTIONS = [
  `"; DROP SCHEMA core CASCADE; --`,
  `'; DROP TABLE core.workspace; --`,
  `x'); DELETE FROM metadata."fieldMetadata"; --`,
  `a"b`,
  `a'b`,
  `a;b`,
  `$1`,
  `\\`,
  `%s%n`,
];
const LONG = 'a'.repeat(10_000);
const UNICODE = ['Ünïcødé', '名前', '🚀', '\u202eevil'];
const EMPTY = ['', '   '];
const NOT_NAMES = [
  ...INJECTIONS,
  LONG,
  ...UNICODE,
  ...EMPTY,
  '0',
  '-1',
  'NaN',
  '../../etc/passwd',
  'Has Space',
  'snake_case',
  'PascalCase',
  'kebab-case',
];
const NOT_NUMBERS = ['0', '-1', '1.5', 'abc', '1e3', '', ' ', '10; DROP TABLE core.workspace', LONG, '٣'];
const NOT_UUIDS = [
  ...INJECTIONS,
  LONG,
  '',
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000g',
  '{00000000-0000-0000-0000-000000000000}',
  '😀',
];

interface Case {
  entry: string;
  args: string[];
  code: 1 | 2;
  message: RegExp;
}

describe('hostile input', () => {
  let database: TestDatabase;
  let client: Client;
  let dataSource: DataSource;
  let a: WorkspaceRow;
  let b: WorkspaceRow;
  let old: WorkspaceRow;
  const standard = buildStandardDeclarations();
  let cliInputs = 0;
  let serviceInputs = 0;
  let parserInputs = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = await connectClient(database.url);
    dataSource = await new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: CORE_MIGRATIONS,
      migrationsTableName: MIGRATIONS_TABLE,
      extra: { max: 2 },
    }).initialize();
    const creation = new WorkspaceCreationService(dataSource, standard);
    a = (await creation.create({ displayName: 'A' })).workspace;
    b = (await creation.create({ displayName: 'B' })).workspace;
    old = (await creation.create({ displayName: 'Old', version: '0.22' })).workspace;
  });

  afterAll(async () => {
    process.stdout.write(
      `hostile-input: ${cliInputs + parserInputs + serviceInputs} bad inputs refused (${cliInputs} through the CLI process, ${parserInputs} through the option parsers, ${serviceInputs} through the services), the database unchanged\n`,
    );
    await client?.end();
    await dataSource?.destroy();
    await database?.drop();
  });

  const run = (args: string[]): Promise<ProcessResult> => runProductCli(args, { env: { DATABASE_URL: database.url } });

  /**
   * Runs the cases a few at a time, those on workspace A one after another: two changes of one
   * workspace at once make the second wait for the first's lock and be refused as locked.
   */
  const runCases = async (cases: Case[]): Promise<Array<{ case: Case; result: ProcessResult }>> => {
    const results: Array<{ case: Case; result: ProcessResult }> = [];
    const onA = cases.filter((item) => item.args.includes(a.id) && /^(object|field):create$/.test(item.args[0]));
    const others = cases.filter((item) => !onA.includes(item));
    const sequential = (async () => {
      for (const item of onA) results.push({ case: item, result: await run(item.args) });
    })();
    for (let start = 0; start < others.length; start += 4) {
      const slice = others.slice(start, start + 4);
      results.push(...(await Promise.all(slice.map(async (item) => ({ case: item, result: await run(item.args) })))));
    }
    await sequential;
    return results;
  };

  /**
   * Through the CLI process, as a user types them: a few hostile values for every option of every
   * entry point (each run starts a process; the whole corpus goes through the parsers and the
   * services in process, below).
   */
  const cliCases = (): Case[] => {
    const cases: Case[] = [];
    const add = (entry: string, args: string[], code: 1 | 2, message: RegExp) => cases.push({ entry, args, code, message });
    const missing = '00000000-0000-4000-8000-000000000000';
    const [drop, dropTable] = INJECTIONS;

    add(
      'workspace:create --name',
      ['workspace:create', '--name', ''],
      2,
      /Cannot create the workspace: the workspace name must be 1 to 200 characters/,
    );
    add('workspace:create --name', ['workspace:create', '--name', LONG], 2, /the workspace name must be 1 to 200 characters/);
    add(
      'workspace:create --name',
      ['workspace:create', '--name', '\u001b[2J\u001b[31mred\nline'],
      2,
      /the workspace name is not valid: it contains a control character/,
    );
    add('workspace:create --version', ['workspace:create', '--name', 'X', '--version', drop], 2, /--version must be one of 0\.22, 0\.23/);
    add(
      'workspace:create --feature-flag',
      ['workspace:create', '--name', 'X', '--feature-flag', drop],
      2,
      /feature flag ".*" is not valid/s,
    );
    // -w is one shared option (its parser is run on every command in process, below).
    for (const command of ['workspace:sync-metadata', 'upgrade-0.23:migrate-email-fields-to-emails', 'upgrade:status']) {
      add(`${command} -w`, [command, '-w', drop], 2, /--workspace-id takes a workspace id \(a UUID\)/);
    }
    add(
      'workspace:sync-metadata -w (no such workspace)',
      ['workspace:sync-metadata', '-w', missing],
      1,
      new RegExp(`workspace ${missing} does not exist`),
    );
    add('upgrade-0.23 -w (no such workspace)', ['upgrade-0.23', '-w', missing], 1, new RegExp(`workspace ${missing} does not exist`));
    add(
      '-w with --start-from',
      ['workspace:health', '-w', a.id, '--start-from-workspace-id', b.id],
      2,
      /-w selects workspaces by id; it cannot be combined/,
    );
    add(
      '--concurrency',
      ['workspace:sync-metadata', '--concurrency', '10; DROP TABLE core.workspace'],
      2,
      /--concurrency takes a whole number from 1 to 64/,
    );
    add('--batch-size', ['upgrade-0.23', '--batch-size', '0'], 2, /--batch-size takes a whole number from 1 to 1000000/);
    add('--allow-hazards', ['workspace:sync-metadata', '--allow-hazards', `DROPS_DATA,${drop}`], 2, /is not a hazard that can be allowed/);
    add('--dedupe', ['upgrade-0.23', '--dedupe', drop], 2, /--dedupe takes one of keep-oldest/);
    add(
      'upgrade:mark-applied --version',
      ['upgrade:mark-applied', '--version', drop, '-w', a.id],
      2,
      /--version must be one of 0\.22, 0\.23/,
    );
    add('upgrade:mark-applied without -w', ['upgrade:mark-applied', '--version', '0.23'], 2, /needs the workspaces named with -w/);
    add('database:reset without --yes', ['database:reset'], 1, /Pass --yes to confirm/);
    add('unknown command', [drop], 2, /unknown command/);
    add('unknown option', ['workspace:list', '--drop-everything'], 2, /unknown option '--drop-everything'/);
    add(
      'object:create -w',
      ['object:create', '-w', drop, '--name-singular', 'ship', '--name-plural', 'ships'],
      2,
      /--workspace-id takes a workspace id/,
    );
    add(
      'object:create -w (no such workspace)',
      ['object:create', '-w', missing, '--name-singular', 'ship', '--name-plural', 'ships'],
      1,
      /workspace .* does not exist/,
    );
    add(
      'object:create --name-singular',
      ['object:create', '-w', a.id, '--name-singular', drop, '--name-plural', 'ships'],
      1,
      /--name-singular ".*" must be camelCase/s,
    );
    add(
      'object:create --name-plural',
      ['object:create', '-w', a.id, '--name-singular', 'ship', '--name-plural', '名前'],
      1,
      /--name-plural ".*" must be camelCase/s,
    );
    add(
      'object:create --label-plural',
      ['object:create', '-w', a.id, '--name-singular', 'ship', '--name-plural', 'ships', '--label-plural', 'two\nlines'],
      1,
      /--label-plural is not valid/,
    );
    add(
      'field:create --object',
      ['field:create', '-w', a.id, '--object', `${b.schemaName}.person`, '--name', 'nickname', '--type', 'TEXT'],
      1,
      /--object ".*" does not exist in this workspace/s,
    );
    add(
      'field:create --name',
      ['field:create', '-w', a.id, '--object', 'person', '--name', dropTable, '--type', 'TEXT'],
      1,
      /--name ".*" must be camelCase/s,
    );
    add(
      'field:create --type',
      ['field:create', '-w', a.id, '--object', 'person', '--name', 'nickname', '--type', 'TEXT; DROP TABLE core.workspace'],
      2,
      /--type ".*" is not a field type; use one of/s,
    );
    add(
      'field:create --options',
      [
        'field:create',
        '-w',
        a.id,
        '--object',
        'person',
        '--name',
        'tier',
        '--type',
        'SELECT',
        '--options',
        `[{"value":"A'); DROP TYPE x; --"}]`,
      ],
      1,
      /--options: option value .* must be letters, digits/s,
    );
    add(
      'field:create --default',
      [
        'field:create',
        '-w',
        a.id,
        '--object',
        'person',
        '--name',
        'born',
        '--type',
        'DATE',
        '--default',
        `"2024-01-01'); DROP TABLE core.workspace; --"`,
      ],
      1,
      /--default is invalid for DATE/,
    );
    add(
      'field:create --default',
      ['field:create', '-w', a.id, '--object', 'person', '--name', 'motto', '--type', 'TEXT', '--default', '"a\\u0000b"'],
      1,
      /--default is invalid for TEXT: contains a NUL character/,
    );
    add(
      'field:create --label',
      ['field:create', '-w', a.id, '--object', 'person', '--name', 'motto', '--type', 'TEXT', '--label', LONG],
      1,
      /--label is required: 1 to 200 characters/,
    );
    return cases;
  };

  /** The whole corpus through the option parsers of every command, in process. */
  it('the option parsers of every command refuse the whole corpus', () => {
    const database = {} as never;
    const walkCommands = [
      new SyncMetadataCommand(database, database),
      new WorkspaceHealthCommand(database, database),
      new UpgradeStatusCommand(database, database),
      new UpgradeMarkAppliedCommand(database, database),
      ...UPGRADE_COMMANDS.map((command) => new (command as unknown as new (database: never) => WorkspaceWalkCommand<unknown>)(database)),
    ];
    const refused = (parse: () => unknown, message: RegExp): boolean => {
      try {
        parse();
        return false;
      } catch (error) {
        return error instanceof InvalidArgumentError && message.test(error.message);
      }
    };
    const accepted: string[] = [];
    let tried = 0;
    const expectRefused = (what: string, parse: () => unknown, message: RegExp) => {
      tried += 1;
      if (!refused(parse, message)) accepted.push(what);
    };
    for (const command of walkCommands) {
      const name = command.constructor.name;
      for (const id of NOT_UUIDS) {
        expectRefused(
          `${name} -w ${id.slice(0, 30)}`,
          () => command.parseWorkspaceId(id),
          /--workspace-id takes a workspace id \(a UUID\)/,
        );
        expectRefused(
          `${name} --start-from ${id.slice(0, 30)}`,
          () => command.parseStartFrom(id),
          /--start-from-workspace-id takes a workspace id/,
        );
      }
      for (const value of [...NOT_NUMBERS, '65'])
        expectRefused(
          `${name} --concurrency ${value.slice(0, 30)}`,
          () => command.parseConcurrency(value),
          /--concurrency takes a whole number from 1 to 64/,
        );
      for (const value of NOT_NUMBERS)
        expectRefused(
          `${name} --workspace-count-limit ${value.slice(0, 30)}`,
          () => command.parseCountLimit(value),
          /--workspace-count-limit takes a whole number/,
        );
      const upgrade = command as unknown as { parseBatchSize?: (value: string) => number; parseDedupe?: (value: string) => string };
      for (const value of [...NOT_NUMBERS, '1000001']) {
        if (upgrade.parseBatchSize)
          expectRefused(
            `${name} --batch-size ${value.slice(0, 30)}`,
            () => upgrade.parseBatchSize!(value),
            /--batch-size takes a whole number from 1 to 1000000/,
          );
      }
      for (const value of ['keep-newest', '', ...INJECTIONS]) {
        if (upgrade.parseDedupe)
          expectRefused(`${name} --dedupe ${value.slice(0, 30)}`, () => upgrade.parseDedupe!(value), /--dedupe takes one of keep-oldest/);
      }
    }
    const sync = walkCommands[0] as SyncMetadataCommand;
    for (const hazards of ['TYPE_CHANGE', 'NAME_CONFLICT', 'DROPS_DATA,TYPE_CHANGE', 'drops_data', ...INJECTIONS, LONG, ...UNICODE]) {
      expectRefused(
        `--allow-hazards ${hazards.slice(0, 30)}`,
        () => sync.parseAllowHazards(hazards),
        /(cannot be allowed|is not a hazard that can be allowed)/,
      );
    }
    const field = new FieldCreateCommand(database);
    const object = new ObjectCreateCommand(database);
    for (const id of NOT_UUIDS) {
      expectRefused(`field:create -w ${id.slice(0, 30)}`, () => field.parseWorkspaceId(id), /--workspace-id takes a workspace id/);
      expectRefused(`object:create -w ${id.slice(0, 30)}`, () => object.parseWorkspaceId(id), /--workspace-id takes a workspace id/);
    }
    for (const json of ['not json', '{', '', "{'a':1}", '[1,]', LONG, ...INJECTIONS]) {
      expectRefused(`--options ${json.slice(0, 30)}`, () => field.parseOptions(json), /--options takes JSON/);
      expectRefused(`--default ${json.slice(0, 30)}`, () => field.parseDefault(json), /--default takes JSON/);
    }
    expect(accepted).toEqual([]);
    parserInputs += tried;
  });

  it('refuses every bad CLI input with a clear message and the right exit status, and changes nothing in the database', async () => {
    const cases = cliCases();
    const before = await databaseFingerprint(client);
    const results = await runCases(cases);
    const wrong = results
      .map(({ case: item, result }) => {
        const errors = result.stderr.split('\n').filter((line) => /^(Error|error):/.test(line));
        const text = `${result.stdout}\n${result.stderr}`;
        const ok =
          result.code === item.code &&
          item.message.test(text) &&
          !/unexpected error|\n\s+at \S+ \(/.test(text) &&
          (item.code === 1 || errors.length === 1);
        return ok
          ? null
          : {
              entry: item.entry,
              args: item.args.map((arg) => arg.slice(0, 60)),
              code: result.code,
              expected: item.code,
              output: text.slice(0, 600),
            };
      })
      .filter((item) => item !== null);
    expect(wrong).toEqual([]);
    cliInputs += cases.length;
    expect(await databaseFingerprint(client)).toEqual(before);
  }, 600_000);

  it('stores valid free text verbatim (quotes, SQL, Unicode), touching nothing outside the new workspace', async () => {
    const names = [INJECTIONS[0], `${INJECTIONS[1]} ${INJECTIONS[2]} ${INJECTIONS.slice(3).join(' ')}`, UNICODE.join(' '), 'x'.repeat(200)];
    const before = await databaseFingerprint(client);
    const created: WorkspaceRow[] = [];
    for (const name of names) {
      const result = await run(['workspace:create', '--name', name, '--no-prefill', '--json']);
      expect({ name, code: result.code }).toEqual({ name, code: 0 });
      const { workspace } = JSON.parse(result.stdout);
      const { rows } = await client.query(`SELECT "displayName" FROM core.workspace WHERE "id" = $1`, [workspace.id]);
      expect(rows[0].displayName).toBe(name);
      created.push(workspace);
    }
    const label = `Label "; DROP SCHEMA core CASCADE; -- 名前 🚀`;
    const field = await run([
      'field:create',
      '-w',
      created[0].id,
      '--object',
      'person',
      '--name',
      'motto',
      '--type',
      'TEXT',
      '--label',
      label,
      '--default',
      JSON.stringify(`'); DROP TABLE core.workspace; --`),
    ]);
    expect(field.code).toBe(0);
    const stored = await client.query(
      `SELECT "label", "defaultValue" FROM metadata."fieldMetadata" WHERE "workspaceId" = $1 AND "name" = 'motto'`,
      [created[0].id],
    );
    expect(stored.rows).toEqual([{ label, defaultValue: `'); DROP TABLE core.workspace; --` }]);
    expect(await databaseFingerprint(client, created)).toEqual(before);
  }, 300_000);

  it('refuses bad input to the services (wrong types included) with the property at fault, writing nothing', async () => {
    const before = await databaseFingerprint(client);
    const creation = new WorkspaceCreationService(dataSource, standard);
    const custom = new CustomMetadataService(dataSource, standard);
    const bad: Array<[string, () => Promise<unknown>, RegExp]> = [];
    for (const displayName of [42, null, {}, [], undefined, true, '', LONG, 'a\u0000b', 'a\ud800b']) {
      bad.push([
        `create displayName ${String(displayName).slice(0, 20)}`,
        () => creation.create({ displayName } as never),
        /the workspace name (must be text|must be 1 to 200|is not valid)/,
      ]);
    }
    for (const featureFlags of [[1], [null], ['x y'], [INJECTIONS[0]]]) {
      bad.push([`create featureFlags`, () => creation.create({ displayName: 'X', featureFlags } as never), /feature flag .* is not valid/]);
    }
    for (const version of [22, {}, '0.21', INJECTIONS[1]]) {
      bad.push([
        `create version`,
        () => creation.create({ displayName: 'X', version } as never),
        /(the version must be text|Unknown version)/,
      ]);
    }
    for (const workspaceId of [42, null, INJECTIONS[0], '', b.schemaName]) {
      bad.push([
        `field workspaceId`,
        () => custom.createField(workspaceId as never, 'person', { name: 'nickname', label: 'N', type: 'TEXT' }),
        /workspaceId must be a workspace id/,
      ]);
      bad.push([
        `object workspaceId`,
        () =>
          custom.createObject(workspaceId as never, { nameSingular: 'ship', namePlural: 'ships', labelSingular: 'S', labelPlural: 'S' }),
        /workspaceId must be a workspace id/,
      ]);
    }
    const fieldInputs: Array<Record<string, unknown>> = [
      { name: 42, label: 'N', type: 'TEXT' },
      { name: null, label: 'N', type: 'TEXT' },
      { name: ['nickname'], label: 'N', type: 'TEXT' },
      { name: 'nickname', label: 42, type: 'TEXT' },
      { name: 'nickname', label: 'N', type: 42 },
      { name: 'nickname', label: 'N', type: null },
      { name: 'nickname', label: 'N', type: ['TEXT'] },
      { name: 'nickname', label: 'N', type: 'SELECT', options: 'A' },
      { name: 'nickname', label: 'N', type: 'SELECT', options: [{ value: 1 }] },
      { name: 'nickname', label: 'N', type: 'SELECT', options: [{ value: 'A', label: 42 }] },
      { name: 'nickname', label: 'N', type: 'NUMBER', defaultValue: Infinity },
      { name: 'nickname', label: 'N', type: 'NUMBER', defaultValue: NaN },
      { name: 'nickname', label: 'N', type: 'TEXT', defaultValue: { toString: 'x' } },
      { name: 'nickname', label: 'N', type: 'TEXT', isNullable: false },
    ];
    for (const input of fieldInputs) {
      bad.push([`field ${JSON.stringify(input)}`, () => custom.createField(a.id, 'person', input as never), /./]);
    }
    for (const name of NOT_NAMES) {
      bad.push([
        `field name ${name.slice(0, 20)}`,
        () => custom.createField(a.id, 'person', { name, label: 'N', type: 'TEXT' }),
        /name (is required|".*" (must be camelCase|is too long))/s,
      ]);
      bad.push([
        `object name ${name.slice(0, 20)}`,
        () => custom.createObject(a.id, { nameSingular: name, namePlural: 'ships', labelSingular: 'S', labelPlural: 'S' }),
        /nameSingular (is required|".*" (must be camelCase|is too long))/s,
      ]);
    }
    for (const type of ['text', 'RELATION', 'EMAIL', 'TEXT; DROP TABLE core.workspace', '', ...INJECTIONS, LONG]) {
      bad.push([
        `field type ${type.slice(0, 20)}`,
        () => custom.createField(a.id, 'person', { name: 'nickname', label: 'N', type }),
        /(is not a field type|relation fields are created|EMAIL is a legacy type)/,
      ]);
    }
    for (const options of [
      [],
      [{ value: 'a b' }],
      [{ value: `A'); DROP TYPE x; --` }],
      [{ value: 'A' }, { value: 'A' }],
      [{ value: 'A'.repeat(64) }],
      [{ value: 'A', label: 'two\nlines' }],
    ]) {
      bad.push([
        `options ${JSON.stringify(options).slice(0, 30)}`,
        () => custom.createField(a.id, 'person', { name: 'tier', label: 'T', type: 'SELECT', options } as never),
        /option/,
      ]);
    }
    for (const [type, defaultValue] of [
      ['NUMBER', 'abc'],
      ['TEXT', 42],
      ['TEXT', 'a\u0000b'],
      ['BOOLEAN', 'true'],
      ['DATE', '2024-02-30'],
      ['DATE', `2024-01-01'); DROP TABLE core.workspace; --`],
      ['DATE_TIME', '1'],
      ['UUID', INJECTIONS[0]],
      ['ARRAY', [1, 2]],
      ['EMAILS', 'x'],
      ['EMAILS', { primaryEmail: 'a', evil: 'b' }],
      ['RAW_JSON', { a: '\u0000' }],
    ] as Array<[string, unknown]>) {
      bad.push([
        `default ${type} ${JSON.stringify(defaultValue).slice(0, 30)}`,
        () => custom.createField(a.id, 'person', { name: 'nickname', label: 'N', type, defaultValue }),
        /defaultValue is invalid for/,
      ]);
    }
    for (const label of ['', '   ', LONG, 'two\nlines', '\u0007bell', 'a\ud800b']) {
      bad.push([
        `label ${JSON.stringify(label).slice(0, 20)}`,
        () => custom.createField(a.id, 'person', { name: 'nickname', label, type: 'TEXT' }),
        /label is (required|not valid)/,
      ]);
    }
    for (const objectName of [42, null, {}, `${b.schemaName}.person`, ...INJECTIONS]) {
      bad.push([
        `field object`,
        () => custom.createField(a.id, objectName as never, { name: 'nickname', label: 'N', type: 'TEXT' }),
        /does not exist in this workspace/,
      ]);
    }
    for (const input of [
      { nameSingular: 42 },
      { nameSingular: 'ship', namePlural: null },
      { nameSingular: 'ship', namePlural: 'ships', labelSingular: {} },
      { nameSingular: 'ship', namePlural: 'ships', labelSingular: 'S', labelPlural: ['S'] },
    ]) {
      bad.push([`object ${JSON.stringify(input)}`, () => custom.createObject(a.id, input as never), /./]);
    }
    const wrong: unknown[] = [];
    for (const [what, call, message] of bad) {
      try {
        await call();
        wrong.push({ what, error: 'accepted' });
      } catch (error) {
        const typed =
          error instanceof CustomMetadataError ||
          error instanceof WorkspaceCreationError ||
          (error as Error).name === 'UnknownVersionError';
        if (!typed || !message.test((error as Error).message))
          wrong.push({ what, error: `${(error as Error).name}: ${(error as Error).message}` });
      }
    }
    expect(wrong).toEqual([]);
    serviceInputs += bad.length;
    expect(await databaseFingerprint(client)).toEqual(before);
  });

  it("operations on workspace A never read or write workspace B's schema", async () => {
    const queries: Array<{ sql: string; params: unknown[] }> = [];
    const logger: Logger = {
      logQuery: (sql, params) => void queries.push({ sql, params: params ?? [] }),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    const watched = await new DataSource({ type: 'postgres', url: database.url, logging: true, logger, extra: { max: 2 } }).initialize();
    const bBefore = await workspaceSnapshot(client, b.id, b.schemaName);
    try {
      const find = async (id: string) => (await new WorkspaceRepository(watched.manager).findById(id))!;
      const custom = new CustomMetadataService(watched, standard);
      await custom.createObject(a.id, { nameSingular: 'ship', namePlural: 'ships', labelSingular: 'Ship', labelPlural: 'Ships' });
      await custom.createField(a.id, 'person', { name: 'motto', label: 'Motto', type: 'TEXT' });
      await custom.createField(a.id, 'ship', { name: 'tonnage', label: 'Tonnage', type: 'NUMBER' });
      expect((await new WorkspaceSyncService(watched, standard).sync(await find(a.id), { check: true })).status).toBe('up-to-date');
      checkWorkspaceHealth(await new ActualStateRepository(watched.manager).read(a.id, a.schemaName));
      // A workspace at 0.22 is upgraded under the same watch.
      await custom.createField(old.id, 'person', { name: 'workEmail', label: 'Work email', type: 'EMAIL' });
      expect((await new UpgradeRunner(watched).upgrade(await find(old.id), '0.23', { batchSize: 2 })).status).toBe('upgraded');
    } finally {
      await watched.destroy();
    }
    expect(queries.length).toBeGreaterThan(50);
    const mentions = queries.filter(({ sql, params }) =>
      [sql, ...params.map((param) => JSON.stringify(param))].some((text) => text.includes(b.schemaName) || text.includes(b.id)),
    );
    expect(mentions).toEqual([]);
    expect(await workspaceSnapshot(client, b.id, b.schemaName)).toEqual(bBefore);
  });
});
