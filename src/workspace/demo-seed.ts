import { randomUUID } from 'node:crypto';

import { RecordRepository } from '../records/record.repository';
import {
  COMPANY_STANDARD_FIELD_IDS,
  OPPORTUNITY_STANDARD_FIELD_IDS,
  PERSON_STANDARD_FIELD_IDS,
  STANDARD_OBJECT_IDS,
} from '../standard-objects/standard-ids.constant';
import { ActualObject } from '../metadata/actual-state';
import { DesiredObject } from '../sync/desired-state';
import { shapeRow } from './prefill';

export const MAX_DEMO_RECORDS = 1_000_000;

export interface DemoSeedCounts {
  companies: number;
  people: number;
  opportunities: number;
  views: number;
}

const FIRST_NAMES = [
  'Ada',
  'Alan',
  'Amara',
  'Ben',
  'Chen',
  'Clara',
  'Diego',
  'Elena',
  'Farah',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kenji',
  'Lea',
  'Malik',
  'Nora',
  'Omar',
  'Priya',
  'Quentin',
  'Rosa',
  'Sami',
  'Tara',
  'Umar',
  'Vera',
  'Wei',
  'Yara',
  'Zoe',
];
const LAST_NAMES = [
  'Adams',
  'Baptiste',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Usman',
  'Varga',
  'Weber',
  'Xu',
  'Young',
  'Zimmermann',
];
const CITIES = [
  'Paris',
  'Berlin',
  'London',
  'New York',
  'San Francisco',
  'Seattle',
  'Lisbon',
  'Tokyo',
  'Lagos',
  'Toronto',
  'Madrid',
  'Stockholm',
];
const JOB_TITLES = [
  'CEO',
  'CTO',
  'Head of Sales',
  'Account Executive',
  'Product Manager',
  'Engineer',
  'Designer',
  'Marketing Lead',
  'Operations Manager',
  'Procurement Officer',
];
const COMPANY_FIRST = [
  'Acme',
  'Blue',
  'Bright',
  'Cedar',
  'Delta',
  'Ember',
  'Falcon',
  'Granite',
  'Harbor',
  'Iris',
  'Juniper',
  'Kite',
  'Lumen',
  'Maple',
  'Nimbus',
  'Orbit',
  'Pine',
  'Quartz',
  'River',
  'Summit',
];
const COMPANY_SECOND = [
  'Labs',
  'Systems',
  'Works',
  'Analytics',
  'Cloud',
  'Foods',
  'Health',
  'Logistics',
  'Media',
  'Robotics',
  'Energy',
  'Finance',
  'Studio',
  'Networks',
  'Bio',
];
const PRODUCTS = ['renewal', 'expansion', 'pilot', 'platform deal', 'annual plan', 'add-on seats', 'services'];
const STAGES = ['NEW', 'SCREENING', 'MEETING', 'PROPOSAL', 'CUSTOMER'];

/** A small deterministic generator (mulberry32): the same seed gives the same demo. */
const random = (seed: number) => {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
  };
};

/** How `records` records split between companies, people and opportunities. */
export const demoSplit = (records: number): Omit<DemoSeedCounts, 'views'> => {
  const companies = records === 0 ? 0 : Math.max(1, Math.round(records * 0.1));
  const opportunities = Math.min(records - companies, Math.round(records * 0.2));
  return { companies, people: records - companies - opportunities, opportunities };
};

const BATCH_ROWS = 500;

/**
 * Fills a new workspace with realistic demo records (companies, their people, opportunities with a
 * point of contact at the same company) in whatever shapes the workspace's version has, and adds
 * views with filters and sorts. Rows go in as multi-row INSERTs of 500: 100,000 records take
 * seconds.
 */
export class DemoSeeder {
  private readonly rng = random(20_241_122);

  constructor(
    private readonly records: RecordRepository,
    private readonly desired: DesiredObject[],
    private readonly actual: ActualObject[],
  ) {}

  /** `firstViewPosition`: where the added views go after the views the workspace has. */
  async seed(total: number, firstViewPosition: number): Promise<DemoSeedCounts> {
    const split = demoSplit(total);
    const company = this.object(STANDARD_OBJECT_IDS.company);
    const person = this.object(STANDARD_OBJECT_IDS.person);
    const opportunity = this.object(STANDARD_OBJECT_IDS.opportunity);

    // Companies are kept (a tenth of the records); people and opportunities are made a batch at a
    // time, keeping only the people's ids, so memory stays small whatever the number of records.
    const companies = Array.from({ length: split.companies }, (_, index) => {
      const base = `${COMPANY_FIRST[index % COMPANY_FIRST.length]} ${COMPANY_SECOND[Math.floor(index / COMPANY_FIRST.length) % COMPANY_SECOND.length]}`;
      const round = Math.floor(index / (COMPANY_FIRST.length * COMPANY_SECOND.length));
      const name = round === 0 ? base : `${base} ${round + 1}`;
      return { id: randomUUID(), name, domain: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.com` };
    });
    await this.insertBatches(company, split.companies, (index) => ({
      id: companies[index].id,
      [COMPANY_STANDARD_FIELD_IDS.name]: companies[index].name,
      [COMPANY_STANDARD_FIELD_IDS.domainName]: companies[index].domain,
      [COMPANY_STANDARD_FIELD_IDS.employees]: this.rng.int(5, 20_000),
      [COMPANY_STANDARD_FIELD_IDS.address]: `${this.rng.int(1, 999)} Market Street, ${this.rng.pick(CITIES)}`,
      [COMPANY_STANDARD_FIELD_IDS.idealCustomerProfile]: this.rng.next() < 0.2,
      [COMPANY_STANDARD_FIELD_IDS.position]: index,
    }));

    // Person i works at company i mod C; its name and email follow from i alone.
    const personIds = Array.from({ length: split.people }, () => randomUUID());
    const personName = (index: number) => ({
      first: FIRST_NAMES[(index * 7 + 3) % FIRST_NAMES.length],
      last: LAST_NAMES[(index * 11 + 5) % LAST_NAMES.length],
    });
    // The index keeps every email unique (0.24 holds a unique index on it).
    const personEmail = (index: number) => {
      const { first, last } = personName(index);
      return `${first}.${last}.${index + 1}@${companies[index % companies.length].domain}`.toLowerCase();
    };
    await this.insertBatches(person, split.people, (index) => ({
      id: personIds[index],
      [PERSON_STANDARD_FIELD_IDS.name]: { firstName: personName(index).first, lastName: personName(index).last },
      [PERSON_STANDARD_FIELD_IDS.emails]: personEmail(index),
      [PERSON_STANDARD_FIELD_IDS.jobTitle]: this.rng.pick(JOB_TITLES),
      [PERSON_STANDARD_FIELD_IDS.city]: this.rng.pick(CITIES),
      [PERSON_STANDARD_FIELD_IDS.company]: companies[index % companies.length].id,
      [PERSON_STANDARD_FIELD_IDS.position]: index,
    }));

    // Opportunity j is for company j mod C, with one of that company's people as point of contact.
    const peopleAt = (companyIndex: number) =>
      companyIndex < split.people ? Math.floor((split.people - 1 - companyIndex) / companies.length) + 1 : 0;
    await this.insertBatches(opportunity, split.opportunities, (index) => {
      const customerIndex = index % companies.length;
      const customer = companies[customerIndex];
      const staff = peopleAt(customerIndex);
      const contact = staff > 0 ? customerIndex + companies.length * this.rng.int(0, staff - 1) : null;
      return {
        [OPPORTUNITY_STANDARD_FIELD_IDS.name]: `${customer.name} ${this.rng.pick(PRODUCTS)}`,
        [OPPORTUNITY_STANDARD_FIELD_IDS.stage]: this.rng.pick(STAGES),
        [OPPORTUNITY_STANDARD_FIELD_IDS.amount]: { amountMicros: this.rng.int(1, 500) * 1_000_000_000, currencyCode: 'USD' },
        [OPPORTUNITY_STANDARD_FIELD_IDS.closeDate]: new Date(Date.UTC(2026, this.rng.int(0, 11), this.rng.int(1, 28))).toISOString(),
        [OPPORTUNITY_STANDARD_FIELD_IDS.company]: customer.id,
        [OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContact]: contact === null ? null : personIds[contact],
        [OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContactEmail]: contact === null ? null : personEmail(contact),
        [OPPORTUNITY_STANDARD_FIELD_IDS.position]: index,
      };
    });

    const views = await this.addViews(firstViewPosition);
    return { ...split, views };
  }

  private object(standardId: string): DesiredObject {
    const object = this.desired.find((candidate) => candidate.declared.standardId === standardId);
    if (!object) throw new Error(`the workspace has no standard object ${standardId}`);
    return object;
  }

  /** `count` rows made by `row` (keyed by field standardId, plus `id`), written in the object's shapes. */
  private async insertBatches(object: DesiredObject, count: number, row: (index: number) => Record<string, unknown>): Promise<void> {
    for (let start = 0; start < count; start += BATCH_ROWS) {
      const rows = Array.from({ length: Math.min(BATCH_ROWS, count - start) }, (_, offset) => {
        const { id, ...values } = row(start + offset);
        return { ...(id ? { id } : {}), ...shapeRow(object, values) };
      });
      await this.records.insert(object.tableName, rows);
    }
  }

  private fieldId(objectStandardId: string, fieldStandardId: string): string | null {
    const object = this.actual.find((candidate) => !candidate.isCustom && candidate.standardId === objectStandardId);
    return object?.fields.find((field) => !field.isCustom && field.standardId === fieldStandardId)?.id ?? null;
  }

  /** Views beside the default ones: each lists some fields, filters and sorts. */
  private async addViews(firstPosition: number): Promise<number> {
    const definitions = [
      {
        object: STANDARD_OBJECT_IDS.person,
        name: 'People in Paris',
        icon: 'IconMap',
        fields: [
          PERSON_STANDARD_FIELD_IDS.name,
          PERSON_STANDARD_FIELD_IDS.emails,
          PERSON_STANDARD_FIELD_IDS.jobTitle,
          PERSON_STANDARD_FIELD_IDS.company,
        ],
        filters: [{ field: PERSON_STANDARD_FIELD_IDS.city, operand: 'is', value: 'Paris' }],
        sorts: [{ field: PERSON_STANDARD_FIELD_IDS.jobTitle, direction: 'asc' }],
      },
      {
        object: STANDARD_OBJECT_IDS.company,
        name: 'Large companies',
        icon: 'IconBuildingSkyscraper',
        fields: [COMPANY_STANDARD_FIELD_IDS.name, COMPANY_STANDARD_FIELD_IDS.domainName, COMPANY_STANDARD_FIELD_IDS.employees],
        filters: [{ field: COMPANY_STANDARD_FIELD_IDS.employees, operand: 'greaterThan', value: '1000' }],
        sorts: [{ field: COMPANY_STANDARD_FIELD_IDS.employees, direction: 'desc' }],
      },
      {
        object: STANDARD_OBJECT_IDS.opportunity,
        name: 'Pipeline by amount',
        icon: 'IconTargetArrow',
        fields: [
          OPPORTUNITY_STANDARD_FIELD_IDS.name,
          OPPORTUNITY_STANDARD_FIELD_IDS.amount,
          OPPORTUNITY_STANDARD_FIELD_IDS.stage,
          OPPORTUNITY_STANDARD_FIELD_IDS.closeDate,
        ],
        filters: [{ field: OPPORTUNITY_STANDARD_FIELD_IDS.stage, operand: 'isNot', value: 'CUSTOMER' }],
        sorts: [{ field: OPPORTUNITY_STANDARD_FIELD_IDS.amount, direction: 'desc' }],
      },
    ];
    const table = (standardId: string) => this.object(standardId).tableName;
    let added = 0;
    for (const definition of definitions) {
      const objectId = this.actual.find((candidate) => !candidate.isCustom && candidate.standardId === definition.object)?.id;
      const fieldIds = definition.fields.map((field) => this.fieldId(definition.object, field)).filter((id): id is string => id !== null);
      if (!objectId || fieldIds.length === 0) continue;
      const [viewId] = await this.records.insert(table(STANDARD_OBJECT_IDS.view), [
        {
          name: definition.name,
          objectMetadataId: objectId,
          type: 'table',
          key: null,
          icon: definition.icon,
          position: firstPosition + added,
        },
      ]);
      await this.records.insert(
        table(STANDARD_OBJECT_IDS.viewField),
        fieldIds.map((fieldMetadataId, position) => ({ viewId, fieldMetadataId, position, isVisible: true, size: 150 })),
      );
      const filters = definition.filters.flatMap((filter) => {
        const fieldMetadataId = this.fieldId(definition.object, filter.field);
        return fieldMetadataId
          ? [{ viewId, fieldMetadataId, operand: filter.operand, value: filter.value, displayValue: filter.value }]
          : [];
      });
      if (filters.length > 0) await this.records.insert(table(STANDARD_OBJECT_IDS.viewFilter), filters);
      const sorts = definition.sorts.flatMap((sort) => {
        const fieldMetadataId = this.fieldId(definition.object, sort.field);
        return fieldMetadataId ? [{ viewId, fieldMetadataId, direction: sort.direction }] : [];
      });
      if (sorts.length > 0) await this.records.insert(table(STANDARD_OBJECT_IDS.viewSort), sorts);
      added += 1;
    }
    return added;
  }
}
