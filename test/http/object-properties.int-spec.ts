import { runCli } from '../utils/cli';
import { footprint, useHttpWorkspace } from './http-test-app';

/**
 * The object properties a CRM UI needs (icon, shortcut, isSearchable, isAuditLogged, label
 * identifier), set on a custom object by POST /objects, PATCH /objects/:name and object:create,
 * validated with a clear error that names the property, and nothing written when refused.
 */
describe('custom object properties', () => {
  const http = useHttpWorkspace();
  const { api } = http;

  const propertiesOf = async (nameSingular: string) => {
    const { rows } = await http.test.client.query(
      `SELECT o."icon", o."shortcut", o."isSearchable", o."isAuditLogged", f."name" AS "labelIdentifier"
         FROM metadata."objectMetadata" o LEFT JOIN metadata."fieldMetadata" f ON f."id" = o."labelIdentifierFieldMetadataId"
        WHERE o."workspaceId" = $1 AND o."nameSingular" = $2`,
      [http.ws.workspaceId, nameSingular],
    );
    return rows[0];
  };

  const invoice = { nameSingular: 'invoice', namePlural: 'invoices', labelSingular: 'Invoice', labelPlural: 'Invoices' };

  it('POST /objects stores them; without them the defaults hold', async () => {
    const created = await api('post', '/objects').send({
      ...invoice,
      icon: 'IconFileInvoice',
      shortcut: 'I',
      isSearchable: true,
      isAuditLogged: false,
      labelIdentifierFieldName: 'name',
    });
    expect(created.status).toBe(201);
    expect(await propertiesOf('invoice')).toEqual({
      icon: 'IconFileInvoice',
      shortcut: 'I',
      isSearchable: true,
      isAuditLogged: false,
      labelIdentifier: 'name',
    });

    const plain = await api('post', '/objects').send({
      nameSingular: 'receipt',
      namePlural: 'receipts',
      labelSingular: 'Receipt',
      labelPlural: 'Receipts',
    });
    expect(plain.status).toBe(201);
    expect(await propertiesOf('receipt')).toEqual({
      icon: null,
      shortcut: null,
      isSearchable: false,
      isAuditLogged: true,
      labelIdentifier: 'name',
    });
  });

  it.each([
    [{ icon: 'building' }, 'icon', 'icon "building" must be an icon name such as IconBuilding ("Icon" then letters and digits), or null'],
    [{ shortcut: 'ab' }, 'shortcut', 'shortcut "ab" must be one capital letter (A-Z), or null'],
    [{ shortcut: 'I' }, 'shortcut', 'shortcut "I" already opens the object "invoice"; choose another letter'],
    [{ isSearchable: 'yes' }, 'isSearchable', 'isSearchable must be true or false'],
    [{ isAuditLogged: 1 }, 'isAuditLogged', 'isAuditLogged must be true or false'],
    [
      { labelIdentifierFieldName: 'createdAt' },
      'labelIdentifierFieldName',
      'labelIdentifierFieldName "createdAt" cannot be used: a DATE_TIME field cannot name a record; choose one of name, id',
    ],
    [
      { labelIdentifierFieldName: 'title' },
      'labelIdentifierFieldName',
      'labelIdentifierFieldName "title" cannot be used: the object has no such field; choose one of name, id',
    ],
  ])('POST /objects refuses %j with a 400 naming the property, and writes nothing', async (properties, field, message) => {
    const before = await footprint(http.test.client);
    const response = await api('post', '/objects').send({
      nameSingular: 'quote',
      namePlural: 'quotes',
      labelSingular: 'Quote',
      labelPlural: 'Quotes',
      ...properties,
    });
    expect({ status: response.status, field: response.body.field, message: response.body.message }).toEqual({
      status: 400,
      field,
      message,
    });
    expect(await footprint(http.test.client)).toEqual(before);
  });

  it('PATCH /objects/:name changes them on a custom object, with the same rules, and refuses them on a standard one', async () => {
    const field = await api('post', '/objects/invoice/fields').send({ name: 'reference', label: 'Reference', type: 'TEXT' });
    expect(field.status).toBe(201);
    const updated = await api('patch', '/objects/invoice').send({
      icon: 'IconReceipt',
      shortcut: 'V',
      isSearchable: false,
      isAuditLogged: true,
      labelIdentifierFieldName: 'reference',
    });
    expect(updated.status).toBe(200);
    expect(await propertiesOf('invoice')).toEqual({
      icon: 'IconReceipt',
      shortcut: 'V',
      isSearchable: false,
      isAuditLogged: true,
      labelIdentifier: 'reference',
    });

    const before = await footprint(http.test.client);
    const refused = await api('patch', '/objects/invoice').send({ labelIdentifierFieldName: 'createdAt' });
    expect({ status: refused.status, field: refused.body.field }).toEqual({ status: 400, field: 'labelIdentifierFieldName' });
    expect(refused.body.message).toContain('a DATE_TIME field cannot name a record; choose one of id, name, reference');
    const standard = await api('patch', '/objects/person').send({ shortcut: 'P' });
    expect({ status: standard.status, field: standard.body.field }).toEqual({ status: 400, field: 'shortcut' });
    expect(standard.body.message).toContain('person is a standard object: only isActive can be changed');
    expect(await footprint(http.test.client)).toEqual(before);
  });

  it('object:create takes them as options, and refuses a bad one in the words of the command line (exit 1; 2 for a value it cannot parse), and writes nothing', async () => {
    const env = { DATABASE_URL: http.test.database.url };
    const args = ['object:create', '-w', http.ws.workspaceId, '--name-singular', 'ticket', '--name-plural', 'tickets'];

    const before = await footprint(http.test.client);
    for (const [bad, code, message] of [
      [['--shortcut', 'x'], 1, '--shortcut "x" must be one capital letter (A-Z), or null'],
      [['--icon', 'ticket'], 1, '--icon "ticket" must be an icon name such as IconBuilding'],
      [
        ['--label-identifier', 'updatedAt'],
        1,
        '--label-identifier "updatedAt" cannot be used: a DATE_TIME field cannot name a record; choose one of name, id',
      ],
      [['--searchable', 'yes'], 2, '--searchable takes true or false; got "yes".'],
    ] as const) {
      const refused = await runCli([...args, ...bad], env);
      expect({ bad, code: refused.code, said: refused.stderr.includes(message) }).toEqual({ bad, code, said: true });
    }

    expect(await footprint(http.test.client)).toEqual(before);

    const created = await runCli(
      [...args, '--icon', 'IconTicket', '--shortcut', 'T', '--searchable', 'true', '--audit-logged', 'false', '--label-identifier', 'name'],
      env,
    );
    expect({ code: created.code, stderr: created.stderr.split('\n').filter((line) => line.startsWith('Error')) }).toEqual({
      code: 0,
      stderr: [],
    });
    expect(await propertiesOf('ticket')).toEqual({
      icon: 'IconTicket',
      shortcut: 'T',
      isSearchable: true,
      isAuditLogged: false,
      labelIdentifier: 'name',
    });
  });
});
