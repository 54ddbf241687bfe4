import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DeclaredSchema } from '../../src/declarations/declared-schema';
import { PROJECT_ROOT, runCli } from '../utils/cli';

/** `declarations:check` as CI runs it: the built CLI, no database. */
describe('declarations:check', () => {
  let cwd: string;
  const released = (): DeclaredSchema =>
    JSON.parse(readFileSync(join(PROJECT_ROOT, 'src', 'standard-objects', 'snapshots', '0.25.json'), 'utf8')) as DeclaredSchema;

  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'wms-declarations-check-'));
  });

  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it("passes on the project's own declarations against the last frozen snapshot", async () => {
    const result = await runCli(['declarations:check'], {}, cwd);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain('0 change(s): 0 by sync alone, 0 claimed by upgrade steps, 0 unclaimed');
  });

  it('fails (exit 1) on a fixture where a field changed type without a step, naming the field and what to do', async () => {
    const fixture = released();
    const person = fixture.objects.find((object) => object.nameSingular === 'person')!;
    const jobTitle = person.fields.find((field) => field.name === 'jobTitle')!;
    jobTitle.type = 'NUMBER' as DeclaredSchema['objects'][number]['fields'][number]['type'];
    jobTitle.defaultValue = 0;
    const file = join(cwd, 'job-title-was-a-number.json');
    writeFileSync(file, JSON.stringify(fixture));

    const result = await runCli(['declarations:check', '--against', file], {}, cwd);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `TYPE_CHANGE person.jobTitle [TYPE_CHANGE]: type NUMBER -> TEXT: existing values must be migrated -> NOT CLAIMED: add a step to src/upgrade/versions/0-26 whose definition (or claims) names standardId ${jobTitle.standardId}`,
    );
    expect(result.stderr).toBe(
      "Error: 1 change(s) need data moved and no upgrade step claims them (person.jobTitle): add a step of 0.26 that names each field's standardId, or revert the change.\n",
    );
  });

  it('passes against 0.23: the changes that need data moved are claimed by the steps of 0.24 and 0.25', async () => {
    const result = await runCli(['declarations:check', '--against', '0.23'], {}, cwd);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain(
      'RELATION_BY_VALUE_TO_FOREIGN_KEY opportunity.pointOfContact: new foreign key beside pointOfContactEmail, which matched person by value: existing rows must be backfilled -> upgrade step 0.24:backfill-opportunity-point-of-contact',
    );
    expect(result.stdout).toContain('-> upgrade step 0.24:build-person-email-unique-index');
    expect(result.stdout).toContain(
      'TYPE_CHANGE person.phones [TYPE_CHANGE]: type PHONE -> PHONES: existing values must be migrated -> upgrade step 0.25:migrate-phone-fields-to-phones',
    );
    expect(result.stdout).toContain('-> upgrade step 0.25:migrate-note-body-to-rich-text');
    expect(result.stdout).toContain('32 change(s): 28 by sync alone, 4 claimed by upgrade steps, 0 unclaimed');
  });

  it('refuses an unknown version or a file that is not a snapshot with exit 2', async () => {
    const unknown = await runCli(['declarations:check', '--against', '0.99'], {}, cwd);
    expect({ code: unknown.code, stderr: unknown.stderr }).toEqual({
      code: 2,
      stderr: 'Error: --against 0.99: unknown version. Known versions: 0.22, 0.23, 0.24, 0.25, or a snapshot file (.json)\n',
    });
    const file = join(cwd, 'not-a-snapshot.json');
    writeFileSync(file, '{"objects": 3}');
    const bad = await runCli(['declarations:check', '--against', file], {}, cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a snapshot: it needs a "version" like "0.24" and "objects"');
  });
});
