import { Hazard } from '../../sync/plan';
import { workspacePage } from './console.pages';

describe('the workspace page', () => {
  const workspace = {
    id: '7a0c1c8e-59a4-4d39-9d7e-1f0a2c3b4d5e',
    displayName: 'Acme <b>&</b>',
    schemaName: 'workspace_acme',
    activationStatus: 'ACTIVE',
    version: '0.24',
    fingerprint: null,
    featureFlags: [],
    defaultCountry: null,
    createdAt: new Date('2026-12-06T10:00:00Z'),
  };

  it("shows the plan preview's hazards, refusals and SQL on demand, every text escaped", () => {
    const page = workspacePage(
      { principal: { kind: 'admin' }, csrfToken: 'token' },
      {
        workspace,
        objects: [],
        ledger: [],
        health: [],
        outcomes: [],
        preview: {
          kind: 'sync',
          status: 'failed',
          message: 'refused: field person.tier would drop data',
          steps: [],
          plans: [
            {
              version: null,
              status: 'failed',
              message: null,
              plan: {
                actions: [
                  {
                    kind: 'DROP_FIELD',
                    object: 'person',
                    field: 'tier',
                    hazard: Hazard.DROPS_DATA,
                    summary: 'drop field person.tier',
                    statements: [{ sql: 'ALTER TABLE "workspace_acme"."person" DROP COLUMN "tier"', params: [] }],
                    preflight: [],
                  },
                ],
                refusals: [
                  { hazard: Hazard.DROPS_DATA, object: 'person', field: 'tier', message: 'dropping person.tier loses <its> values' },
                ],
              },
            },
          ],
        },
      },
    ).text;
    expect(page).toContain('<h1>Acme &lt;b&gt;&amp;&lt;/b&gt;</h1>');
    expect(page).toMatch(/<span class="hazard">DROPS_DATA<\/span>\s*drop field person.tier/);
    expect(page).toMatch(
      /<details>\s*<summary>SQL<\/summary>\s*<pre>ALTER TABLE &quot;workspace_acme&quot;.&quot;person&quot; DROP COLUMN &quot;tier&quot;;<\/pre>\s*<\/details>/,
    );
    expect(page).toMatch(/<span class="hazard">REFUSED DROPS_DATA<\/span>\s*dropping person.tier loses &lt;its&gt; values/);
    expect(page).toContain('No drift between metadata and tables.');
  });
});
