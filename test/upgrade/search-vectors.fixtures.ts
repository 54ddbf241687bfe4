import { randomUUID } from 'node:crypto';

import { Client } from 'pg';

import { DeclaredField, DeclaredSchema } from '../../src/declarations/declared-schema';
import { FieldType } from '../../src/declarations/field-type';
import { searchVectorExpression, searchVectorSpec } from '../../src/metadata/search-vector';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { getVersionSnapshot } from '../../src/standard-objects/version-snapshots';
import { LedgerRepository } from '../../src/upgrade/ledger.repository';
import { DEFAULT_STEP_OPTIONS } from '../../src/upgrade/upgrade.runner';
import { StepReport, stepChecksum, stepContext, UpgradeStep, UpgradeStepOptions } from '../../src/upgrade/upgrade-step';
import { addSearchVectors, addSearchVectorsFrom } from '../../src/upgrade/versions/0-25/add-search-vectors.step';
import { buildSearchIndexes, buildSearchIndexesFrom } from '../../src/upgrade/versions/0-25/build-search-indexes.step';
import { TestServices } from '../utils/test-services';

/*
 * The search-vector steps run directly on 0.24 workspaces, against a declared state that is the
 * 0.24 snapshot with search fields on person (name, emails), company (name, domainName) and
 * opportunity (name): the sources those objects already have at 0.24.
 */

const SEARCH_SOURCES: Record<string, Array<{ field: string; weight: string }>> = {
  person: [
    { field: 'name', weight: 'A' },
    { field: 'emails', weight: 'B' },
  ],
  company: [
    { field: 'name', weight: 'A' },
    { field: 'domainName', weight: 'B' },
  ],
  opportunity: [{ field: 'name', weight: 'A' }],
};

/** A search field as a declaration gives one; its standardId made up per object. */
const searchField = (objectIndex: number, sources: Array<{ field: string; weight: string }>): DeclaredField => ({
  standardId: `5e7c0a11-0d25-4c3e-9f00-00000000000${objectIndex}`,
  name: 'searchVector',
  label: 'Search vector',
  type: FieldType.TS_VECTOR,
  description: null,
  icon: null,
  isSystem: true,
  isActive: true,
  isNullable: true,
  isUnique: false,
  isDeprecated: false,
  defaultValue: null,
  options: null,
  settings: { searchFields: sources },
  relation: null,
  gate: null,
});

/** The 0.24 snapshot with search fields on person, company and opportunity. */
export const withSearchVectors = (): DeclaredSchema => {
  const base = structuredClone(getVersionSnapshot('0.24'));
  base.objects.forEach((object, index) => {
    const sources = SEARCH_SOURCES[object.nameSingular];
    if (sources) object.fields.push(searchField(index, sources));
  });
  return base;
};

export type SearchStep = 'add' | 'index';

/**
 * Runs one of the two steps on `workspace` as the upgrade runner does: a ledger entry started (or
 * resumed, with its checkpoint), a connection of its own, the step's options. Marks it done.
 */
export const runSearchStep = async (
  db: TestServices,
  workspace: WorkspaceRow,
  which: SearchStep,
  declared: DeclaredSchema,
  options: Partial<UpgradeStepOptions> = {},
): Promise<StepReport> => {
  const step: UpgradeStep = which === 'add' ? addSearchVectors : buildSearchIndexes;
  const connection = db.dataSource.createQueryRunner();
  await connection.connect();
  try {
    const ledger = new LedgerRepository(connection.manager);
    const entry = await ledger.start(workspace.id, step.version, step.name, stepChecksum(step));
    const stepOptions: UpgradeStepOptions = { ...DEFAULT_STEP_OPTIONS, ...options };
    const context = stepContext(workspace, entry, stepOptions, connection);
    const report = await (which === 'add' ? addSearchVectorsFrom(context, declared) : buildSearchIndexesFrom(context, declared));
    await ledger.finish(entry.id, report.rowsAffected);
    return report;
  } finally {
    await connection.release();
  }
};

export const PEOPLE = 240;
export const COMPANIES = 60;
export const OPPORTUNITIES = 30;

export const personIds = Array.from({ length: PEOPLE }, () => randomUUID()).sort();
export const companyIds = Array.from({ length: COMPANIES }, () => randomUUID()).sort();
export const opportunityIds = Array.from({ length: OPPORTUNITIES }, () => randomUUID()).sort();

/** People, companies and opportunities, the same ids and values in every workspace seeded. */
export const seedRecords = async (db: TestServices, schema: string): Promise<void> => {
  await db.client.query(
    `INSERT INTO "${schema}".person ("id", "nameFirstName", "nameLastName", "emailsPrimaryEmail", "emailsAdditionalEmails", "createdAt", "updatedAt")
     SELECT id, 'First' || n, CASE WHEN n % 7 = 0 THEN NULL ELSE 'Last' || n END,
            CASE WHEN n % 5 = 0 THEN NULL ELSE 'person' || n || '@firm' || (n % 9) || '.example' END, '[]',
            '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [personIds],
  );
  await db.client.query(
    `INSERT INTO "${schema}".company ("id", "name", "domainNamePrimaryLinkUrl", "createdAt", "updatedAt")
     SELECT id, 'Company' || n, CASE WHEN n % 4 = 0 THEN NULL ELSE 'https://site' || n || '.example' END,
            '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [companyIds],
  );
  await db.client.query(
    `INSERT INTO "${schema}".opportunity ("id", "name", "createdAt", "updatedAt")
     SELECT id, 'Deal' || n, '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [opportunityIds],
  );
};

/**
 * Per table of `tables`, the rows whose search vector is not the one their values give now (the
 * 0.25 snapshot's search field, computed as the trigger computes it): 0 when every row is current.
 */
export const staleSearchVectors = async (
  client: Client,
  workspace: WorkspaceRow,
  tables: string[] = ['person', 'note'],
): Promise<Record<string, number>> => {
  const stale: Record<string, number> = {};
  for (const table of tables) {
    const declared = getVersionSnapshot('0.25').objects.find((object) => object.nameSingular === table)!;
    const field = declared.fields.find((candidate) => candidate.type === FieldType.TS_VECTOR)!;
    const spec = searchVectorSpec(table, field, declared.fields);
    const { rows } = await client.query(
      `SELECT count(*)::int AS "count" FROM "${workspace.schemaName}"."${table}" AS t
        WHERE t."${spec.column}" IS DISTINCT FROM (${searchVectorExpression(spec, 't.')})`,
    );
    stale[table] = rows[0].count;
  }
  return stale;
};
