import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { PROJECT_ROOT } from '../utils/cli';
import { HttpTest, startHttpTest } from './http-test-app';

const VALIDATOR = join(PROJECT_ROOT, 'node_modules', '@seriousme', 'openapi-schema-validator', 'bin', 'validate-api-cli.js');

/** Runs the validator's own command on a document: its verdict and exit code. */
const validate = async (dir: string, document: unknown): Promise<{ code: number; valid: boolean; output: string }> => {
  const file = join(dir, `document-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(document));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [VALIDATOR, file]);
    return { code: 0, valid: JSON.parse(stdout).valid, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, valid: JSON.parse(failed.stdout).valid, output: failed.stdout };
  }
};

/** The OpenAPI document at /docs-json: valid against the OpenAPI schema, at the package's version, tokens described as they are. */
describe('OpenAPI document', () => {
  let test: HttpTest;
  let dir: string;
  let document: {
    openapi: string;
    info: { version: string; description: string };
    components: { securitySchemes: Record<string, Record<string, unknown>> };
  };

  beforeAll(async () => {
    test = await startHttpTest();
    dir = mkdtempSync(join(tmpdir(), 'wms-openapi-'));
    const response = await test.http().get('/docs-json');
    expect(response.status).toBe(200);
    document = response.body;
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await test?.close();
  });

  it('is valid against the OpenAPI schema', async () => {
    const verdict = await validate(dir, document);
    expect({ code: verdict.code, valid: verdict.valid }).toEqual({ code: 0, valid: true });
  });

  it('is refused by the same validator once broken, so the check above can fail', async () => {
    const broken = { ...document, paths: { '/workspaces': { post: { responses: 'none' } } } };
    const verdict = await validate(dir, broken);
    expect({ code: verdict.code, valid: verdict.valid }).toEqual({ code: 1, valid: false });
  });

  it("carries the package's version", () => {
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(document.info.version).toBe(version);
  });

  it('describes the bearer token readably, and claims no JWT', () => {
    expect(document.components.securitySchemes.bearer).toEqual({
      type: 'http',
      scheme: 'bearer',
      description: 'the admin token (ADMIN_API_KEY) or a workspace API key (wms_…)',
    });
    // Angle brackets would be read as HTML by the documentation page, and vanish.
    expect(document.info.description).not.toMatch(/[<>]/);
    expect(document.info.description).toContain('`Authorization: Bearer` followed by a token');
  });
});
