import { Readable, Writable } from 'node:stream';

import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';

import { qualified } from '../../src/database/sql';
import { WorkspaceRow } from '../../src/metadata/workspace.repository';
import { RecordCsvService } from '../../src/records/record-csv.service';
import { RecordError } from '../../src/records/record.error';
import { buildStandardDeclarations } from '../../src/standard-objects/standard-objects';
import { WorkspaceCreationService } from '../../src/workspace/workspace-creation.service';
import { createTestDatabase, TestDatabase } from '../utils/test-database';
import { openDataSource } from '../utils/test-services';

/**
 * An import reads a chunk of the file at a time and sends each record's cells to the database as
 * it comes: a batch that turns row by row part-way reads the rows copied before back from the
 * database, and a file that fails to decode part-way leaves nothing and no connection stuck.
 */
describe('CSV import, streamed', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let service: RecordCsvService;
  let header: string[];

  const workspace = async (name: string): Promise<WorkspaceRow> =>
    (await new WorkspaceCreationService(dataSource, buildStandardDeclarations()).create({ displayName: name, prefill: false })).workspace;
  /** A line of the people file: `cells` by header, the others empty. */
  const line = (cells: Record<string, string>): string => header.map((name) => cells[name] ?? '').join(',');
  const people = async (target: WorkspaceRow) =>
    (
      await dataSource.query(
        `SELECT "nameFirstName", "nameLastName", "emailsPrimaryEmail", "jobTitle", "city" FROM ${qualified(target.schemaName, 'person')} ORDER BY "nameFirstName"`,
      )
    ).map((row: Record<string, string | null>) => ({ ...row }));

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource(database.url, 2);
    service = new RecordCsvService(dataSource);
    let text = '';
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        text += chunk.toString('utf8');
        done();
      },
    });
    await service.export((await workspace('Header')).id, 'person', () => sink);
    [header] = parse(text) as string[][];
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('a batch that goes row by row after rows were copied keeps their values, NULL and empty text apart', async () => {
    const good = [
      line({ 'Name / First Name': 'A', 'Name / Last Name': '""', 'Job Title': '""' }),
      line({ 'Name / First Name': 'B', 'Job Title': 'x', City: '"  padded  "' }),
      line({ 'Name / First Name': 'C', 'Name / Last Name': '""', 'Emails / Primary Email': '"c@example.com"', City: '""' }),
      line({ 'Name / First Name': 'D', 'Job Title': '"say ""hi"", then\nbye"' }),
      line({ 'Name / First Name': 'E', 'Name / Last Name': 'Last' }),
    ];
    // Line 4 has a cell too few: the first batch (lines 2-5) turns row by row there.
    const withBad = [header.join(','), good[0], good[1], 'short,row', ...good.slice(2)].join('\n');
    const mixed = await workspace('Mixed');
    const result = await service.import(mixed.id, 'person', Readable.from([withBad]), { batchSize: 4, skipInvalid: true });
    expect(result).toEqual({
      object: 'person',
      imported: 5,
      skipped: 1,
      errors: [{ line: 4, message: `the row has 2 cells; the header has ${header.length}` }],
    });

    // The same rows on the SQL path alone, in one batch.
    const plain = await workspace('Plain');
    expect((await service.import(plain.id, 'person', Readable.from([[header.join(','), ...good].join('\n')]))).imported).toBe(5);
    // An empty unquoted cell is NULL where the column takes one, empty text where it does not; "" is empty text.
    expect(await people(plain)).toEqual([
      { nameFirstName: 'A', nameLastName: '', emailsPrimaryEmail: null, jobTitle: '', city: '' },
      { nameFirstName: 'B', nameLastName: null, emailsPrimaryEmail: null, jobTitle: 'x', city: '  padded  ' },
      { nameFirstName: 'C', nameLastName: '', emailsPrimaryEmail: 'c@example.com', jobTitle: '', city: '' },
      { nameFirstName: 'D', nameLastName: null, emailsPrimaryEmail: null, jobTitle: 'say "hi", then\nbye', city: '' },
      { nameFirstName: 'E', nameLastName: 'Last', emailsPrimaryEmail: null, jobTitle: '', city: '' },
    ]);
    expect(await people(mixed)).toEqual(await people(plain));
  });

  it('bytes the charset cannot hold, while a batch is being copied, refuse the file with their line and leave nothing', async () => {
    const rows = Array.from({ length: 3_100 }, (_, index) => line({ 'Name / First Name': `Person ${index}`, City: 'Somewhere' }));
    const bytes = Buffer.concat([
      Buffer.from([header.join(','), ...rows].join('\n') + '\n', 'utf8'),
      Buffer.from(line({ 'Name / First Name': 'J\xf6rg' }) + '\n', 'latin1'),
    ]);
    const target = await workspace('Latin');
    // Chunks of 1 KB: the reader is at most a few dozen ahead, so the batch's COPY is open when the bad byte is met.
    const chunks = Array.from({ length: Math.ceil(bytes.length / 1_024) }, (_, index) =>
      bytes.subarray(index * 1_024, (index + 1) * 1_024),
    );
    const refused = service.import(target.id, 'person', Readable.from(chunks));
    await expect(refused).rejects.toThrow(RecordError);
    await expect(refused).rejects.toThrow(/^line 3102: the file is not valid UTF-8/);
    expect(await people(target)).toEqual([]);
  });
});
