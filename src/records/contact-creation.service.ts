import { Readable } from 'node:stream';

import { Inject, Injectable } from '@nestjs/common';
import { CsvError, parse } from 'csv-parse';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

import { FieldType } from '../declarations/field-type';
import { UUID_PATTERN } from '../declarations/identifier.rules';
import { type CountryCode, parsePhone } from '../declarations/phone-number';
import { COMPANY_STANDARD_FIELD_IDS, PERSON_STANDARD_FIELD_IDS, STANDARD_OBJECT_IDS } from '../standard-objects/standard-ids.constant';
import { WorkspaceRepository } from '../metadata/workspace.repository';
import { ContactRepository } from './contact.repository';
import { ActualStateRepository, FieldShape } from '../metadata/actual-state.repository';
import { compositeColumnName } from '../metadata/column-layout';
import { columnsForValue, mainColumn } from './record-shape';
import { RecordRepository } from './record.repository';
import { RecordError } from './record.error';

/** Someone who took part in an email exchange: the analogue of a message participant. */
export interface Participant {
  email: string;
  displayName: string;
  /** A phone number as the participant gave it; none: the person gets no phone. */
  phone?: string;
  /** Line in the participants file, for reports. */
  line?: number;
}

export interface ContactImportResult {
  people: { created: number; existing: number };
  companies: { created: number; existing: number };
  skipped: Array<{ line: number | null; email: string; reason: string }>;
  /** Where the values went, as the workspace's fields were shaped when they were written. */
  columns: { personEmail: string[]; companyDomain: string[]; personPhone: string[] };
}

const EMAIL = /^[^\s@]+@([^\s@]+\.[^\s@]+)$/;
const CHUNK = 1000;

/** "acme-labs.co.uk" -> "Acme-labs". */
const companyNameFor = (domain: string): string => {
  const label = domain.split('.')[0];
  return label.charAt(0).toUpperCase() + label.slice(1);
};

const splitName = (displayName: string, email: string): { firstName: string; lastName: string } => {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { firstName: email.split('@')[0], lastName: '' };
  return { firstName: words[0], lastName: words.slice(1).join(' ') };
};

/**
 * Creates people and their companies from email participants, writing to whichever shape the
 * workspace's fields have at that moment: `email` (EMAIL) or `emailsPrimaryEmail` (EMAILS), the
 * domain to `domainNameUrl` (LINK), `domainName` (TEXT) or `domainNamePrimaryLinkUrl` (LINKS), a
 * phone to `phone` (PHONE) as given or to `phonesPrimaryPhoneNumber` and
 * `phonesPrimaryPhoneCountryCode` (PHONES) parsed in the workspace's default country.
 * The shapes are read, and locked, in the transaction that writes, after the tables' locks (as an
 * upgrade's switch-over takes them), so it works before, during and after upgrade-0.23. People are matched by email and companies by domain: a rerun adds nothing.
 */
@Injectable()
export class ContactCreationService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async importFile(workspaceId: string, input: Readable): Promise<ContactImportResult> {
    const parser = parse({
      bom: true,
      columns: (header: string[]) => header.map((name) => name.trim()),
      skip_empty_lines: true,
      info: true,
    });
    input.on('error', (error) => parser.destroy(error));
    input.pipe(parser);
    const total: ContactImportResult = {
      people: { created: 0, existing: 0 },
      companies: { created: 0, existing: 0 },
      skipped: [],
      columns: { personEmail: [], companyDomain: [], personPhone: [] },
    };
    let chunk: Participant[] = [];
    const flush = async () => {
      if (chunk.length === 0) return;
      const result = await this.import(workspaceId, chunk);
      total.people.created += result.people.created;
      total.people.existing += result.people.existing;
      total.companies.created += result.companies.created;
      total.companies.existing += result.companies.existing;
      total.skipped.push(...result.skipped);
      for (const key of ['personEmail', 'companyDomain', 'personPhone'] as const) {
        for (const column of result.columns[key]) if (!total.columns[key].includes(column)) total.columns[key].push(column);
      }
      chunk = [];
    };
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        const email = record.email ?? record.handle;
        if (email === undefined) {
          throw new RecordError(
            'INVALID',
            'file',
            'the participants file needs an "email" (or "handle") column, and may have "displayName" and "phone"',
          );
        }
        chunk.push({ email, displayName: record.displayName ?? record.name ?? '', phone: record.phone, line: info.lines });
        if (chunk.length >= CHUNK) await flush();
      }
    } catch (error) {
      if (error instanceof CsvError) throw new RecordError('INVALID', 'file', `the participants file is not valid CSV: ${error.message}`);
      throw error;
    }
    await flush();
    return total;
  }

  /**
   * One transaction: locks the tables, reads the fields' shapes, finds or creates companies, then
   * people. A deadlock or a lock timeout (another writer of the tables or metadata) rolls it back
   * and is reported as a conflict to retry.
   */
  async import(workspaceId: string, participants: Participant[]): Promise<ContactImportResult> {
    try {
      return await this.dataSource.transaction(async (manager) => this.importIn(manager, workspaceId, participants));
    } catch (error) {
      const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
      if (code === '40P01' || code === '55P03' || code === '40001') {
        throw new RecordError(
          'CONFLICT',
          'workspaceId',
          `the contacts could not be written: the workspace's people or companies were being changed at the same time (${error instanceof Error ? error.message : String(error)}); nothing was written, run the import again`,
        );
      }
      throw error;
    }
  }

  private async importIn(manager: EntityManager, workspaceId: string, participants: Participant[]): Promise<ContactImportResult> {
    const workspace = UUID_PATTERN.test(workspaceId) ? await new WorkspaceRepository(manager).findById(workspaceId) : null;
    if (!workspace) throw new RecordError('NOT_FOUND', 'workspaceId', `workspace ${workspaceId.slice(0, 80)} does not exist`);
    const contacts = new ContactRepository(manager, workspace.schemaName);
    await contacts.lockWriters(workspace.id);
    // The tables first, in the order upgrade-0.23 switches them (people, then companies), then the field rows.
    await contacts.lockTables(workspace.id, [STANDARD_OBJECT_IDS.person, STANDARD_OBJECT_IDS.company]);
    const shapes = await new ActualStateRepository(manager).lockStandardFieldShapes(workspace.id, [
      PERSON_STANDARD_FIELD_IDS.emails,
      PERSON_STANDARD_FIELD_IDS.name,
      PERSON_STANDARD_FIELD_IDS.company,
      COMPANY_STANDARD_FIELD_IDS.name,
      COMPANY_STANDARD_FIELD_IDS.domainName,
      PERSON_STANDARD_FIELD_IDS.phones,
    ]);
    const shape = (objectId: string, fieldId: string): FieldShape => {
      const found = shapes.find((candidate) => candidate.objectStandardId === objectId && candidate.standardId === fieldId);
      if (!found)
        throw new RecordError(
          'INVALID',
          'workspaceId',
          `workspace ${workspace.id} has no standard field ${fieldId}; run workspace:sync-metadata`,
        );
      return found;
    };
    const personEmail = shape(STANDARD_OBJECT_IDS.person, PERSON_STANDARD_FIELD_IDS.emails);
    const personName = shape(STANDARD_OBJECT_IDS.person, PERSON_STANDARD_FIELD_IDS.name);
    const personCompany = shape(STANDARD_OBJECT_IDS.person, PERSON_STANDARD_FIELD_IDS.company);
    const companyName = shape(STANDARD_OBJECT_IDS.company, COMPANY_STANDARD_FIELD_IDS.name);
    const companyDomain = shape(STANDARD_OBJECT_IDS.company, COMPANY_STANDARD_FIELD_IDS.domainName);
    const personPhone = shape(STANDARD_OBJECT_IDS.person, PERSON_STANDARD_FIELD_IDS.phones);
    const emailColumn = mainColumn(personEmail);
    const domainColumn = mainColumn(companyDomain);
    // PHONE (up to 0.24) takes the number as given; PHONES (from 0.25) takes it parsed as the upgrade parses it.
    const phoneValue = (raw: string | undefined): unknown => {
      if (raw === undefined || raw.trim() === '') return undefined;
      if (personPhone.type !== FieldType.PHONES) return raw.trim();
      const phone = parsePhone(raw.trim(), (workspace.defaultCountry ?? undefined) as CountryCode | undefined);
      return { primaryPhoneNumber: phone.primaryPhoneNumber, primaryPhoneCountryCode: phone.primaryPhoneCountryCode, additionalPhones: [] };
    };

    const result: ContactImportResult = {
      people: { created: 0, existing: 0 },
      companies: { created: 0, existing: 0 },
      skipped: [],
      columns: { personEmail: [emailColumn], companyDomain: [domainColumn], personPhone: [] },
    };
    const valid = new Map<string, Participant & { domain: string }>();
    for (const participant of participants) {
      const email = participant.email.trim().toLowerCase();
      const match = EMAIL.exec(email);
      if (!match) {
        result.skipped.push({ line: participant.line ?? null, email: participant.email.slice(0, 200), reason: 'not an email address' });
        continue;
      }
      if (!valid.has(email)) valid.set(email, { ...participant, email, domain: match[1].replace(/^www\./, '') });
    }

    const domains = [...new Set([...valid.values()].map((participant) => participant.domain))];
    const companyIds = await contacts.idsByText(companyDomain.tableName, domainColumn, domains, true);
    result.companies.existing = companyIds.size;
    const records = new RecordRepository(manager, workspace.schemaName);
    const newDomains = domains.filter((domain) => !companyIds.has(domain));
    const createdCompanies = await records.insert(
      companyDomain.tableName,
      newDomains.map((domain) => ({ ...columnsForValue(companyName, companyNameFor(domain)), ...columnsForValue(companyDomain, domain) })),
    );
    newDomains.forEach((domain, index) => companyIds.set(domain, createdCompanies[index]));
    result.companies.created = createdCompanies.length;

    const existingPeople = await contacts.idsByText(personEmail.tableName, emailColumn, [...valid.keys()]);
    result.people.existing = existingPeople.size;
    const newPeople = [...valid.values()].filter((participant) => !existingPeople.has(participant.email));
    const phones = newPeople.map((participant) => phoneValue(participant.phone));
    // Every row of one INSERT has the same columns: a person without a phone gets the field's empty value.
    const anyPhone = phones.some((phone) => phone !== undefined);
    const noPhone = personPhone.type === FieldType.PHONES ? null : '';
    const created = await records.insert(
      personEmail.tableName,
      newPeople.map((participant, index) => ({
        ...columnsForValue(personName, splitName(participant.displayName, participant.email)),
        ...columnsForValue(personEmail, participant.email),
        ...columnsForValue(personCompany, companyIds.get(participant.domain) ?? null),
        ...(anyPhone ? columnsForValue(personPhone, phones[index] ?? noPhone) : {}),
      })),
    );
    if (anyPhone) {
      result.columns.personPhone =
        personPhone.type === FieldType.PHONES
          ? [mainColumn(personPhone), compositeColumnName(personPhone.name, 'primaryPhoneCountryCode')]
          : [personPhone.name];
    }
    result.people.created = created.length;
    return result;
  }
}
