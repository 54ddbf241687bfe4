import { DesiredObject } from '../sync/desired-state';
import { columnsForValue } from '../records/record-shape';
import {
  COMPANY_STANDARD_FIELD_IDS,
  OPPORTUNITY_STANDARD_FIELD_IDS,
  PERSON_STANDARD_FIELD_IDS,
} from '../standard-objects/standard-ids.constant';

interface PrefillCompany {
  name: string;
  domain: string;
  address: string;
  employees: number;
}

interface PrefillPerson {
  firstName: string;
  lastName: string;
  email: string;
  city: string;
  company: number;
}

export const PREFILL_COMPANIES: PrefillCompany[] = [
  { name: 'Airbnb', domain: 'airbnb.com', address: '888 Brannan St, San Francisco', employees: 6900 },
  { name: 'Qonto', domain: 'qonto.com', address: '18 Rue de Navarin, Paris', employees: 1400 },
  { name: 'Stripe', domain: 'stripe.com', address: '354 Oyster Point Blvd, South San Francisco', employees: 8000 },
  { name: 'Figma', domain: 'figma.com', address: '760 Market St, San Francisco', employees: 1600 },
  { name: 'Notion', domain: 'notion.so', address: '2300 Harrison St, San Francisco', employees: 800 },
];

export const PREFILL_PEOPLE: PrefillPerson[] = [
  { firstName: 'Christoph', lastName: 'Callisto', email: 'christoph.callisto@airbnb.com', city: 'Seattle', company: 0 },
  { firstName: 'Sylvie', lastName: 'Palmer', email: 'sylvie.palmer@qonto.com', city: 'Los Angeles', company: 1 },
  { firstName: 'Christopher', lastName: 'Gonzalez', email: 'christopher.gonzalez@stripe.com', city: 'Seattle', company: 2 },
  { firstName: 'Ashley', lastName: 'Parker', email: 'ashley.parker@figma.com', city: 'Los Angeles', company: 3 },
  { firstName: 'Nicholas', lastName: 'Wright', email: 'nicholas.wright@notion.so', city: 'Seattle', company: 4 },
];

interface PrefillOpportunity {
  name: string;
  stage: string;
  company: number;
  /** The contact's email as typed, and the prefill person it names (null: nobody). */
  contactEmail: string;
  contact: number | null;
}

export const PREFILL_OPPORTUNITIES: PrefillOpportunity[] = [
  { name: 'Airbnb renewal', stage: 'PROPOSAL', company: 0, contactEmail: 'christoph.callisto@airbnb.com', contact: 0 },
  { name: 'Qonto expansion', stage: 'MEETING', company: 1, contactEmail: 'Sylvie.Palmer@qonto.com', contact: 1 },
  { name: 'Stripe pilot', stage: 'SCREENING', company: 2, contactEmail: 'procurement@stripe.com', contact: null },
];

/** The row of `values` (keyed by field standardId) in the shapes this object has. */
export const shapeRow = (object: DesiredObject, values: Record<string, unknown>): Record<string, unknown> => {
  const row: Record<string, unknown> = {};
  for (const [standardId, value] of Object.entries(values)) {
    const field = object.fields.find((candidate) => candidate.declared.standardId === standardId);
    if (field) Object.assign(row, columnsForValue(field.declared, value));
  }
  return row;
};

export const prefillCompanyRows = (company: DesiredObject): Array<Record<string, unknown>> =>
  PREFILL_COMPANIES.map((item, position) =>
    shapeRow(company, {
      [COMPANY_STANDARD_FIELD_IDS.name]: item.name,
      [COMPANY_STANDARD_FIELD_IDS.domainName]: item.domain,
      [COMPANY_STANDARD_FIELD_IDS.address]: item.address,
      [COMPANY_STANDARD_FIELD_IDS.employees]: item.employees,
      [COMPANY_STANDARD_FIELD_IDS.position]: position,
    }),
  );

export const prefillPersonRows = (person: DesiredObject, companyIds: string[]): Array<Record<string, unknown>> =>
  PREFILL_PEOPLE.map((item, position) =>
    shapeRow(person, {
      [PERSON_STANDARD_FIELD_IDS.name]: { firstName: item.firstName, lastName: item.lastName },
      [PERSON_STANDARD_FIELD_IDS.emails]: item.email,
      [PERSON_STANDARD_FIELD_IDS.city]: item.city,
      [PERSON_STANDARD_FIELD_IDS.company]: companyIds[item.company] ?? null,
      [PERSON_STANDARD_FIELD_IDS.position]: position,
    }),
  );

/**
 * Up to 0.23 an opportunity names its contact by email (`pointOfContactEmail`); from 0.24 it points
 * at the person (`pointOfContact`). Each version's shape takes the value it has a field for.
 */
export const prefillOpportunityRows = (
  opportunity: DesiredObject,
  companyIds: string[],
  personIds: string[],
): Array<Record<string, unknown>> =>
  PREFILL_OPPORTUNITIES.map((item, position) =>
    shapeRow(opportunity, {
      [OPPORTUNITY_STANDARD_FIELD_IDS.name]: item.name,
      [OPPORTUNITY_STANDARD_FIELD_IDS.stage]: item.stage,
      [OPPORTUNITY_STANDARD_FIELD_IDS.company]: companyIds[item.company] ?? null,
      [OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContactEmail]: item.contactEmail,
      [OPPORTUNITY_STANDARD_FIELD_IDS.pointOfContact]: item.contact === null ? null : (personIds[item.contact] ?? null),
      [OPPORTUNITY_STANDARD_FIELD_IDS.position]: position,
    }),
  );
