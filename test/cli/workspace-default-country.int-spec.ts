import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { runCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { createWorkspace } from './workspace-state';

/**
 * A workspace's default country (the country of phone numbers written without an international
 * prefix): set at creation, changed and cleared later, refused with a message naming the option
 * when it is not a country code, nothing written then.
 */
describe('the default country of a workspace', () => {
  let cwd: string;
  let database: TestDatabase;
  let client: Client;
  let env: Record<string, string>;

  const storedCountry = async (id: string): Promise<string | null> =>
    (await client.query(`SELECT "defaultCountry" FROM core.workspace WHERE "id" = $1`, [id])).rows[0].defaultCountry;

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'wms-country-'));
    database = await createTestDatabase();
    client = await connectClient(database.url);
    env = { DATABASE_URL: database.url };
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('is none by default and set at creation with --default-country, in capitals', async () => {
    const plain = await createWorkspace(env, cwd, ['--no-prefill']);
    expect(await storedCountry(plain.id)).toBeNull();
    const french = await createWorkspace(env, cwd, ['--no-prefill', '--default-country', 'fr']);
    expect(await storedCountry(french.id)).toBe('FR');
  });

  it('refuses a code that is no country at creation (exit 2), naming the option, and creates nothing', async () => {
    const [{ count: before }] = (await client.query(`SELECT count(*)::int AS count FROM core.workspace`)).rows;
    const result = await runCli(['workspace:create', '--name', 'Nowhere', '--default-country', 'ZZ'], env, cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('default country "ZZ" is not an ISO 3166-1 alpha-2 country code');
    const [{ count: after }] = (await client.query(`SELECT count(*)::int AS count FROM core.workspace`)).rows;
    expect(after).toBe(before);
  });

  it('workspace:update changes it, clears it with none, and refuses a bad code leaving it as it was', async () => {
    const workspace = await createWorkspace(env, cwd, ['--no-prefill']);
    const set = await runCli(['workspace:update', '-w', workspace.id, '--default-country', 'de', '--json'], env, cwd);
    expect({ code: set.code, out: JSON.parse(set.stdout) }).toEqual({
      code: 0,
      out: { workspace: { id: workspace.id, defaultCountry: 'DE' } },
    });
    expect(await storedCountry(workspace.id)).toBe('DE');

    const bad = await runCli(['workspace:update', '-w', workspace.id, '--default-country', 'Germany'], env, cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--default-country: default country "Germany" is not an ISO 3166-1 alpha-2 country code');
    expect(await storedCountry(workspace.id)).toBe('DE');

    const cleared = await runCli(['workspace:update', '-w', workspace.id, '--default-country', 'none'], env, cwd);
    expect({ code: cleared.code, out: cleared.stdout.trim() }).toEqual({ code: 0, out: `Workspace ${workspace.id}: default country none` });
    expect(await storedCountry(workspace.id)).toBeNull();
  });

  it('workspace:update on a workspace that does not exist fails (exit 1)', async () => {
    const result = await runCli(['workspace:update', '-w', '00000000-0000-4000-8000-000000000000', '--default-country', 'FR'], env, cwd);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('workspace 00000000-0000-4000-8000-000000000000 does not exist; nothing was written');
  });
});
