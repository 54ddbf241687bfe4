import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { PROJECT_ROOT } from '../utils/cli';

/**
 * The rules that keep the house standing fail on a violation planted for them: ESLint on SQL
 * written outside its rooms and on package internals, dependency-cruiser on a folder importing
 * upwards and on a cycle. (The tree itself passing them is `npm run lint`, which CI runs.)
 */

const bin = (name: string): string => resolve(PROJECT_ROOT, 'node_modules', '.bin', name);

const run = (command: string, args: string[], options: { cwd: string; input?: string }): Promise<{ code: number; output: string }> =>
  new Promise((resolvePromise) => {
    const child = execFile(
      command,
      args,
      { cwd: options.cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
      (error, stdout, stderr) =>
        resolvePromise({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
    child.stdin?.end(options.input ?? '');
  });

const eslint = (filePath: string, code: string) =>
  run(bin('eslint'), ['--stdin', '--stdin-filename', filePath], { cwd: PROJECT_ROOT, input: code });

describe('house rules', () => {
  describe('ESLint', () => {
    const sql = 'export const read = (table: string): string => `SELECT "id" FROM ${table}`;\n';

    it('refuses SQL in a service or an upgrade converter, and names where it belongs', async () => {
      for (const file of ['src/records/planted.service.ts', 'src/upgrade/converters/planted.converter.ts']) {
        const result = await eslint(file, sql);
        expect({ file, code: result.code }).toEqual({ file, code: 1 });
        expect(result.output).toContain('no-restricted-syntax');
        expect(result.output).toContain('SQL lives in repositories');
      }
    });

    it('takes the same SQL in a repository, the renderer and an upgrade step', async () => {
      for (const file of [
        'src/records/planted.repository.ts',
        'src/sync/statement.renderer.ts',
        'src/upgrade/versions/0-24/planted.step.ts',
      ]) {
        const result = await eslint(file, sql);
        expect({ file, code: result.code, output: result.output }).toEqual({ file, code: 0, output: '' });
      }
    });

    it('refuses a deep import of a package internal', async () => {
      const result = await eslint(
        'src/records/planted.ts',
        "import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';\nexport type Runner = PostgresQueryRunner;\n",
      );
      expect(result.code).toBe(1);
      expect(result.output).toContain('no-restricted-imports');
    });
  });

  describe('dependency-cruiser', () => {
    let tree: string;

    /** A tree with the project's tsconfig and the given files under it. */
    const plant = (files: Record<string, string>): void => {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(tree, path)), { recursive: true });
        writeFileSync(join(tree, path), text);
      }
    };

    const cruise = () => run(bin('depcruise'), ['src', '--config', resolve(PROJECT_ROOT, '.dependency-cruiser.cjs')], { cwd: tree });

    beforeEach(() => {
      tree = mkdtempSync(join(tmpdir(), 'wms-house-'));
      cpSync(resolve(PROJECT_ROOT, 'tsconfig.json'), join(tree, 'tsconfig.json'));
    });

    afterEach(() => rmSync(tree, { recursive: true, force: true }));

    it('passes a tree whose folders import downwards only', async () => {
      plant({
        'src/cli/list.command.ts': "import { find } from '../records/record.repository';\nexport const list = find;\n",
        'src/records/record.repository.ts': "import { quoteIdentifier } from '../database/sql';\nexport const find = quoteIdentifier;\n",
        'src/database/sql.ts': 'export const quoteIdentifier = (name: string): string => name;\n',
      });
      const result = await cruise();
      expect({ code: result.code, output: result.output }).toEqual({
        code: 0,
        output: expect.stringContaining('no dependency violations'),
      });
    });

    it('refuses a folder that imports from a folder above it', async () => {
      plant({
        'src/records/record.service.ts': "import { command } from '../cli/list.command';\nexport const service = command;\n",
        'src/cli/list.command.ts': 'export const command = 1;\n',
      });
      const result = await cruise();
      expect(result.code).not.toBe(0);
      expect(result.output).toContain('layer-records');
    });

    it('keeps the upgrade converters away from the database and the runner', async () => {
      plant({
        'src/upgrade/converters/phone.converter.ts':
          "import { ledger } from '../ledger.repository';\nimport { connect } from '../../database/data-source';\nexport const parse = [ledger, connect];\n",
        'src/upgrade/ledger.repository.ts': 'export const ledger = 1;\n',
        'src/database/data-source.ts': 'export const connect = 1;\n',
      });
      const result = await cruise();
      expect(result.code).not.toBe(0);
      expect(result.output.match(/converters-pure/g)?.length).toBe(2);
    });

    it('refuses an import cycle', async () => {
      plant({
        'src/sync/a.ts': "import { b } from './b';\nexport const a = (): number => b();\n",
        'src/sync/b.ts': "import { a } from './a';\nexport const b = (): number => a();\n",
      });
      const result = await cruise();
      expect(result.code).not.toBe(0);
      expect(result.output).toContain('no-circular');
    });

    it('refuses the quoting helpers outside the places where SQL is written', async () => {
      plant({
        'src/sync/plan.formatter.ts': "import { quoteIdentifier } from '../database/sql';\nexport const format = quoteIdentifier;\n",
        'src/database/sql.ts': 'export const quoteIdentifier = (name: string): string => name;\n',
      });
      const result = await cruise();
      expect(result.code).not.toBe(0);
      expect(result.output).toContain('sql-in-its-rooms');
    });
  });
});
