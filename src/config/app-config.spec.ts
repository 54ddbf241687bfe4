import { ConfigError, databaseServersOf, loadAppConfig } from './app-config';

const MAIN = 'postgres://postgres@127.0.0.1:5432/wms';

describe('the directory of database servers', () => {
  it('is the main server alone without DATABASE_SERVERS, and none on the embedded database', () => {
    expect(databaseServersOf({ DATABASE_URL: MAIN })).toEqual([{ name: 'main', url: MAIN }]);
    expect(databaseServersOf({})).toEqual([]);
  });

  it('lists the main server first, then the named ones in their order', () => {
    const config = loadAppConfig({
      DATABASE_URL: MAIN,
      DATABASE_SERVERS: 'eu2=postgres://postgres@127.0.0.1:5433/wms, us1=postgresql://db.example:5432/wms',
    });
    expect(databaseServersOf(config)).toEqual([
      { name: 'main', url: MAIN },
      { name: 'eu2', url: 'postgres://postgres@127.0.0.1:5433/wms' },
      { name: 'us1', url: 'postgresql://db.example:5432/wms' },
    ]);
  });

  it.each([
    ['without DATABASE_URL', { DATABASE_SERVERS: 'eu2=postgres://h/db' }, /DATABASE_SERVERS needs DATABASE_URL/],
    ['an entry without a name', { DATABASE_URL: MAIN, DATABASE_SERVERS: 'postgres://h/db' }, /entry "postgres:\/\/h\/db" needs a name/],
    ['a name with capitals', { DATABASE_URL: MAIN, DATABASE_SERVERS: 'EU=postgres://h/db' }, /entry "EU=postgres:\/\/h\/db" needs a name/],
    ['a URL that is not postgres', { DATABASE_URL: MAIN, DATABASE_SERVERS: 'eu2=mysql://h/db' }, /entry eu2 must have a postgres:\/\//],
    [
      'the name main',
      { DATABASE_URL: MAIN, DATABASE_SERVERS: 'main=postgres://h/db' },
      /names main twice \(main is DATABASE_URL's server\)/,
    ],
    ['a name twice', { DATABASE_URL: MAIN, DATABASE_SERVERS: 'a=postgres://h/x,a=postgres://h/y' }, /names a twice/],
    [
      'the main database again',
      { DATABASE_URL: MAIN, DATABASE_SERVERS: 'eu2=postgres://other@127.0.0.1/wms' },
      /eu2 is the database of main again/,
    ],
  ])('refuses DATABASE_SERVERS %s, saying what to fix', (_case, env, message) => {
    expect(() => loadAppConfig(env)).toThrow(ConfigError);
    expect(() => loadAppConfig(env)).toThrow(message);
  });
});
