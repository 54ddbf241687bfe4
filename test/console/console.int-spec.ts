import { readFile } from 'node:fs/promises';
import { AddressInfo } from 'node:net';

import { INestApplication } from '@nestjs/common';
import { Browser, Page } from 'playwright-core';
import { Client } from 'pg';

import { createHttpApp } from '../../src/http/http-app';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { CURRENT_VERSION } from '../../src/standard-objects/version.constant';
import { FleetWork } from '../../src/workspace/workspace-fleet.runner';
import { WorkspaceHealthJobHandler } from '../../src/workspace/workspace-health-job.handler';
import { WorkspaceJobDispatcher } from '../../src/workspace/workspace-job.dispatcher';
import { WorkspaceJobHandler } from '../../src/workspace/workspace-job.handler';
import { runCli } from '../utils/cli';
import { connectClient, createTestDatabase, TestDatabase } from '../utils/test-database';
import { attributes, launchChromium, newSession, screenshot, texts, WAIT_MS } from './console-browser';

const ADMIN_KEY = 'console-admin-key-0123456789abcdef0123456789';

interface Workspace {
  id: string;
  schemaName: string;
  key: string;
}

/**
 * The operator console in a real browser (Chromium through Playwright), against the HTTP app on a
 * database of its own: signing in with each kind of key, the fleet against the database, a run's
 * progress as it moves, a workspace's page, and a table view with its filters, export and import.
 * Each test takes the screenshots of docs/console.md of what it shows.
 */
describe('the console', () => {
  let database: TestDatabase;
  let client: Client;
  let app: INestApplication;
  let base: string;
  let browser: Browser;
  let acme: Workspace;
  let globex: Workspace;
  /** At 0.22: its sync is refused (types change), so it is the fleet's failure, and its upgrade is pending. */
  let legacy: Workspace;
  /** Created at 0.22 and upgraded: its ledger has every step of 0.23, 0.24 and 0.25. */
  let upgraded: Workspace;

  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text);
  };

  const createWorkspace = async (displayName: string, version?: string): Promise<Workspace> => {
    const created = await api('POST', '/workspaces', ADMIN_KEY, { displayName, ...(version ? { version } : {}) });
    const key = await api('POST', `/workspaces/${created.workspace.id}/api-keys`, ADMIN_KEY, { name: 'console' });
    return { id: created.workspace.id, schemaName: created.workspace.schemaName, key: key.key };
  };

  const cli = (args: string[]) => runCli(args, { DATABASE_URL: database.url });

  const signIn = async (key: string): Promise<Page> => {
    const { page } = await newSession(browser);
    await page.goto(`${base}/console/sign-in`);
    await page.fill('#key', key);
    await Promise.all([page.waitForNavigation(), page.click('form.sign-in button[type=submit]')]);
    return page;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    client = await connectClient(database.url);
    process.env.DATABASE_URL = database.url;
    process.env.ADMIN_API_KEY = ADMIN_KEY;
    app = await createHttpApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    acme = await createWorkspace('Acme');
    globex = await createWorkspace('Globex');
    legacy = await createWorkspace('Legacy Ltd', '0.22');
    upgraded = await createWorkspace('Upgraded Inc', '0.22');
    expect((await cli(['workspace:sync-metadata', '-w', legacy.id])).code).toBe(1);
    const upgrade = await cli(['upgrade', '-w', upgraded.id]);
    expect({ code: upgrade.code, stderr: upgrade.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await client?.end();
    await database?.drop();
  });

  it('signs in with the admin token, with a workspace key, and refuses a wrong key', async () => {
    const { page } = await newSession(browser);
    const form = await page.goto(`${base}/console/fleet`);
    expect(page.url()).toBe(`${base}/console/sign-in`);
    expect(form?.status()).toBe(200);
    await screenshot(page, 'sign-in');

    await page.fill('#key', 'wms_not-a-key-of-this-service');
    const [refused] = await Promise.all([page.waitForNavigation(), page.click('form.sign-in button[type=submit]')]);
    expect(refused?.status()).toBe(401);
    expect(await page.textContent('.sign-in .error')).toMatch(/neither the admin token nor an active workspace API key/);
    expect(await page.context().cookies()).not.toContainEqual(expect.objectContaining({ name: 'wms_console' }));

    const admin = await signIn(ADMIN_KEY);
    expect(admin.url()).toBe(`${base}/console/fleet`);
    expect(await admin.textContent('[data-testid=signed-in-as]')).toBe('admin');
    const [cookie] = (await admin.context().cookies()).filter((candidate) => candidate.name === 'wms_console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });

    const member = await signIn(acme.key);
    expect(member.url()).toBe(`${base}/console/workspaces/${acme.id}`);
    expect(await member.textContent('h1')).toBe('Acme');

    await Promise.all([member.waitForNavigation(), member.click('header form button')]);
    expect(member.url()).toBe(`${base}/console/sign-in`);
    const after = await member.goto(`${base}/console/workspaces/${acme.id}`);
    expect(after?.url()).toBe(`${base}/console/sign-in`);
    await Promise.all([admin.context().close(), member.context().close(), page.context().close()]);
  });

  it('counts the fleet as the database does and lists the failed workspace with its error', async () => {
    const page = await signIn(ADMIN_KEY);
    const byVersion = await client.query(
      `SELECT coalesce("version", 'none') AS version, count(*)::int AS n FROM core.workspace GROUP BY 1 ORDER BY 1`,
    );
    const shown: Record<string, number> = {};
    for (const row of await page.locator('[data-testid=count-by-version] tbody tr').all()) {
      shown[(await row.locator('td').first().textContent())!] = Number(await row.locator('[data-count]').textContent());
    }
    expect(shown).toEqual(Object.fromEntries(byVersion.rows.map((row) => [row.version, row.n])));
    const [{ total }] = (await client.query(`SELECT count(*)::int AS total FROM core.workspace`)).rows;
    expect(Number(await page.textContent('[data-testid=fleet-total]'))).toBe(total);

    const [failure] = (
      await client.query(
        `SELECT "message" FROM core."workspaceOutcome" WHERE "workspaceId" = $1 AND "command" = 'workspace:sync-metadata'`,
        [legacy.id],
      )
    ).rows;
    expect(failure.message).toMatch(/sync does not change types: run `upgrade-0.23`/);
    expect(await attributes(page, '[data-testid=failed] tbody tr', 'data-workspace-id')).toEqual([legacy.id]);
    expect(await page.textContent(`[data-testid=failed] tr[data-workspace-id="${legacy.id}"] .message`)).toBe(failure.message);
    expect(Number(await page.textContent('[data-testid=failed] [data-count]'))).toBe(1);

    expect(await attributes(page, '[data-testid=fleet-list] tbody tr', 'data-workspace-id')).toHaveLength(total);
    await page.fill('[data-testid=fleet-list] input[name=search]', 'glob');
    await Promise.all([page.waitForNavigation(), page.click('[data-testid=fleet-list] button[type=submit]')]);
    expect(await attributes(page, '[data-testid=fleet-list] tbody tr', 'data-workspace-id')).toEqual([globex.id]);
    await page.goto(`${base}/console/fleet`);
    await screenshot(page, 'fleet');
    await page.context().close();
  });

  it("shows a run's progress moving while the run goes on", async () => {
    const page = await signIn(ADMIN_KEY);
    const health = app.get(WorkspaceHealthJobHandler);
    // Each workspace of the run waits for the test to let it go: the run moves when the test says, not with time.
    const gates: Array<() => void> = [];
    const opened: Array<Promise<void>> = [];
    for (let i = 0; i < 3; i += 1) {
      let open!: () => void;
      opened.push(new Promise<void>((resolve) => (open = resolve)));
      gates.push(open);
    }
    let startedCount = 0;
    const gated: WorkspaceJobHandler<unknown, object> = {
      name: health.name,
      process: async (workspace: WorkspaceRow): Promise<FleetWork<unknown>> => {
        const index = startedCount++;
        await opened[index];
        return health.process(workspace);
      },
    };
    const walk = await app.get(WorkspaceJobDispatcher).open(gated, { workspaceId: [acme.id, globex.id, upgraded.id] });
    const run = walk.run({
      continueOnError: true,
      signal: new AbortController().signal,
      render: () => ({ lines: [], json: null }),
      onStart: () => undefined,
      onResult: () => undefined,
      note: () => undefined,
    });
    // The page's own script fetches the runs again every 2 s: wait until it shows `done` of 3.
    const doneShown = async (done: number) => {
      const running = '[data-testid=runs-running]';
      await page.locator(`${running} [data-testid=run-done]:text-is("${done}")`).waitFor({ timeout: WAIT_MS });
      expect(await page.textContent(`${running} [data-testid=run-total]`)).toBe('3');
    };
    await doneShown(0);
    gates[0]();
    await doneShown(1);
    gates[1]();
    await doneShown(2);
    expect((await page.textContent('[data-testid=runs-running] [data-testid=run-failed]'))?.trim()).toBe('0');
    expect((await page.textContent('[data-testid=runs-running] [data-testid=run-rate]'))?.trim()).toMatch(/^\d+(\.\d+)?\/s$/);
    expect((await page.textContent('[data-testid=runs-running] [data-testid=run-left]'))?.trim()).toMatch(/^\d+ (s|min)/);
    await screenshot(page, 'fleet-run-in-progress');
    gates[2]();
    const summary = await run;
    await walk.close();
    expect(summary).toMatchObject({ total: 3, succeeded: 3, failed: 0 });
    await page.locator('[data-testid=runs-running] [data-run-id]').waitFor({ state: 'detached', timeout: WAIT_MS });
    const [recorded] = (
      await client.query(`SELECT "status", "total", "succeeded" FROM core."walkRun" WHERE "command" = 'workspace:health'`)
    ).rows;
    expect(recorded).toEqual({ status: 'DONE', total: 3, succeeded: 3 });
    await page.context().close();
  });

  it("shows a workspace's ledger and the plan preview of its pending upgrade", async () => {
    const page = await signIn(ADMIN_KEY);
    await page.goto(`${base}/console/workspaces/${upgraded.id}`);
    const ledger = await client.query(
      `SELECT "step", "rowsAffected"::int AS rows FROM core."upgradeLedger" WHERE "workspaceId" = $1 ORDER BY "version", "startedAt", "step"`,
      [upgraded.id],
    );
    expect(ledger.rows.length).toBeGreaterThan(0);
    expect(await attributes(page, '[data-testid=ledger] tbody tr', 'data-step')).toEqual(ledger.rows.map((row) => row.step));
    expect((await texts(page, '[data-testid=ledger] [data-testid=rows-moved]')).map((text) => Number(text.replace(/,/g, '')))).toEqual(
      ledger.rows.map((row) => row.rows),
    );
    expect(await page.textContent('[data-testid=workspace-version]')).toBe(CURRENT_VERSION);
    await screenshot(page, 'workspace');

    await page.goto(`${base}/console/workspaces/${legacy.id}`);
    expect(await page.textContent('[data-testid=plan-status] strong')).toBe('planned');
    const steps = await attributes(page, '[data-testid=plan] tbody tr', 'data-step');
    expect(steps).toEqual(expect.arrayContaining(['migrate-email-fields-to-emails', 'migrate-link-fields-to-links']));
    expect(await texts(page, '[data-testid=plan] tbody tr td:nth-child(4)')).toEqual(steps.map(() => 'would-run'));
    // A dry run: the workspace is where it was, and its ledger holds nothing.
    const after = await client.query(`SELECT "version" FROM core.workspace WHERE "id" = $1`, [legacy.id]);
    expect(after.rows[0].version).toBe('0.22');
    expect((await client.query(`SELECT 1 FROM core."upgradeLedger" WHERE "workspaceId" = $1`, [legacy.id])).rowCount).toBe(0);
    await screenshot(page, 'workspace-plan-preview');
    await page.context().close();
  });

  describe('a table view', () => {
    let page: Page;
    const people = () => `/console/workspaces/${acme.id}/objects/people`;
    const fieldId = async (name: string): Promise<string> =>
      (
        await client.query(
          `SELECT f."id" FROM metadata."fieldMetadata" f JOIN metadata."objectMetadata" o ON o."id" = f."objectMetadataId"
            WHERE o."workspaceId" = $1 AND o."nameSingular" = 'person' AND f."name" = $2`,
          [acme.id, name],
        )
      ).rows[0].id;
    const shownIds = async () => (await attributes(page, '[data-testid=records] tbody tr', 'data-record-id')).sort();
    const idsWhere = async (condition: string, params: unknown[] = []) =>
      (await client.query(`SELECT "id" FROM "${acme.schemaName}"."person" WHERE ${condition}`, params)).rows.map((row) => row.id).sort();
    const submit = (selector: string) => Promise.all([page.waitForNavigation(), page.click(selector)]);

    beforeAll(async () => {
      await api('POST', `/workspaces/${acme.id}/objects/person/fields`, acme.key, {
        name: 'tier',
        label: 'Tier',
        type: 'SELECT',
        options: [{ value: 'GOLD' }, { value: 'SILVER' }],
      });
      const ids = await idsWhere('true');
      await api('PATCH', `/workspaces/${acme.id}/objects/person/records/${ids[0]}`, acme.key, { tier: 'GOLD' });
      await api('PATCH', `/workspaces/${acme.id}/objects/person/records/${ids[1]}`, acme.key, { tier: 'SILVER' });
      page = await signIn(acme.key);
    });

    afterAll(async () => {
      await page?.context().close();
    });

    it('shows the columns of the view in order, and a filter on emails and on a custom field changes the rows', async () => {
      await page.goto(`${base}${people()}`);
      const columns = await client.query(
        `SELECT f."name" FROM "${acme.schemaName}"."viewField" vf JOIN metadata."fieldMetadata" f ON f."id" = vf."fieldMetadataId"
          JOIN "${acme.schemaName}"."view" v ON v."id" = vf."viewId"
         WHERE v."objectMetadataId" = (SELECT "objectMetadataId" FROM metadata."fieldMetadata" WHERE "id" = $1) AND vf."isVisible"
         ORDER BY v."position", vf."position"`,
        [await fieldId('emails')],
      );
      const keys = await attributes(page, '[data-testid=records] thead th', 'data-field');
      expect(keys.map((key) => key.replace(/Id$/, ''))).toEqual(columns.rows.map((row) => row.name));
      const all = await idsWhere('true');
      expect(await shownIds()).toEqual(all);

      const [{ emailsPrimaryEmail: email }] = (await client.query(`SELECT "emailsPrimaryEmail" FROM "${acme.schemaName}"."person" LIMIT 1`))
        .rows;
      const domain = String(email).split('@')[1].split('.')[0];
      await page.selectOption('[data-testid=add-filter] select[name=fieldMetadataId]', await fieldId('emails'));
      await page.selectOption('[data-testid=add-filter] select[name=operand]', 'contains');
      await page.fill('[data-testid=add-filter] input[name=value]', domain);
      await submit('[data-testid=add-filter] button[type=submit]');
      const byEmail = await idsWhere(`"emailsPrimaryEmail" ILIKE $1`, [`%${domain}%`]);
      expect(byEmail.length).toBeGreaterThan(0);
      expect(byEmail.length).toBeLessThan(all.length);
      expect(await shownIds()).toEqual(byEmail);
      await submit('[data-testid=filters] form button.chip');
      expect(await shownIds()).toEqual(all);

      await page.selectOption('[data-testid=add-filter] select[name=fieldMetadataId]', await fieldId('tier'));
      await page.selectOption('[data-testid=add-filter] select[name=operand]', 'is');
      await page.fill('[data-testid=add-filter] input[name=value]', 'GOLD');
      await submit('[data-testid=add-filter] button[type=submit]');
      const gold = await idsWhere(`"tier" = 'GOLD'`);
      expect(gold).toHaveLength(1);
      expect(await shownIds()).toEqual(gold);
      await submit('[data-testid=filters] form button.chip');
      expect(await shownIds()).toEqual(all);

      // A filter the listing could not apply is refused, and nothing is written.
      await page.selectOption('[data-testid=add-filter] select[name=fieldMetadataId]', await fieldId('createdAt'));
      await page.selectOption('[data-testid=add-filter] select[name=operand]', 'isAfter');
      await page.fill('[data-testid=add-filter] input[name=value]', 'next tuesday');
      const [refused] = await Promise.all([page.waitForNavigation(), page.click('[data-testid=add-filter] button[type=submit]')]);
      expect(refused?.status()).toBe(400);
      expect(await page.textContent('[data-testid=error]')).toMatch(/needs a date as its value; got "next tuesday"/);
      expect((await client.query(`SELECT 1 FROM "${acme.schemaName}"."viewFilter" WHERE "deletedAt" IS NULL`)).rowCount).toBe(0);
      expect(await shownIds()).toEqual(all);

      // Sorted by name for a screenshot whose rows come in the same order on every run.
      await page.goto(`${base}${people()}`);
      await page.selectOption('[data-testid=add-sort] select[name=fieldMetadataId]', await fieldId('name'));
      await submit('[data-testid=add-sort] button[type=submit]');
      const sorted = await client.query(`SELECT "id" FROM "${acme.schemaName}"."person" ORDER BY "nameFirstName", "nameLastName"`);
      expect(await attributes(page, '[data-testid=records] tbody tr', 'data-record-id')).toEqual(sorted.rows.map((row) => row.id));
      await screenshot(page, 'table-view');
    });

    it('exports the CSV the CLI exports', async () => {
      await page.goto(`${base}${people()}`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export]')]);
      expect(download.suggestedFilename()).toBe('people.csv');
      const downloaded = await readFile((await download.path())!, 'utf8');
      const exported = await cli(['records:export', '-w', acme.id, '--object', 'people']);
      expect(exported.code).toBe(0);
      expect(downloaded).toBe(exported.stdout);
      expect(downloaded.split('\n')[0]).toMatch(/Emails \/ Primary Email/);
    });

    it('imports a file with a bad line: the report shows that line and nothing is imported', async () => {
      await page.goto(`${base}${people()}`);
      const before = await idsWhere('true');
      const csv = [
        'Name / First Name,Name / Last Name,Emails / Primary Email,Company Id',
        'Ada,Lovelace,ada@example.com,',
        'Bad,Company,bad@example.com,00000000-0000-4000-8000-000000000000',
        'Grace,Hopper,grace@example.com,',
        '',
      ].join('\n');
      await page.setInputFiles('[data-testid=import] input[type=file]', {
        name: 'people.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv),
      });
      await page.click('[data-testid=import] button[type=submit]');
      await page.waitForSelector('[data-testid=import-report]');
      expect(await attributes(page, '[data-testid=bad-lines] li', 'data-line')).toEqual(['3']);
      expect(await page.textContent('[data-testid=bad-lines] li')).toMatch(/^line 3: companyId does not name an existing company/);
      expect(await page.textContent('[data-testid=import-report]')).toMatch(/1 bad row\(s\), nothing imported: line 3/);
      expect(await idsWhere('true')).toEqual(before);
      await screenshot(page, 'table-import-report');

      await page.check('[data-testid=import] input[name=skipInvalid]');
      await page.setInputFiles('[data-testid=import] input[type=file]', {
        name: 'people.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv),
      });
      await page.click('[data-testid=import] button[type=submit]');
      await page.waitForSelector('[data-testid=import-report] [data-testid=imported]');
      expect(await page.textContent('[data-testid=imported]')).toBe('2');
      expect(await attributes(page, '[data-testid=bad-lines] li', 'data-line')).toEqual(['3']);
      expect((await idsWhere('true')).length).toBe(before.length + 2);
    });
  });

  it("keeps a workspace key to its own workspace: another's pages are a 404, the fleet is refused", async () => {
    const page = await signIn(acme.key);
    for (const path of [
      `/console/workspaces/${globex.id}`,
      `/console/workspaces/${globex.id}/objects/people`,
      `/console/workspaces/${globex.id}/objects/people/export.csv`,
    ]) {
      const response = await page.goto(`${base}${path}`);
      expect({ path, status: response?.status() }).toEqual({ path, status: 404 });
    }
    const fleet = await page.goto(`${base}/console/fleet`);
    expect(fleet?.status()).toBe(403);
    expect(await page.textContent('[data-testid=error]')).toMatch(/needs the admin token/);
    const runs = await page.goto(`${base}/console/fleet/runs`);
    expect(runs?.status()).toBe(403);
    // A form of its own page sent without the session's token writes nothing.
    const forged = await page.request.post(
      `${base}/console/workspaces/${acme.id}/objects/people/filters?viewId=00000000-0000-4000-8000-000000000000`,
      {
        form: { fieldMetadataId: 'x', operand: 'is', value: 'x' },
      },
    );
    expect(forged.status()).toBe(403);
    await page.context().close();
  });
});
