import { quoteIdentifier, quoteLiteral, sqlLiteral } from './sql';
import { renderStatement } from './sql-statement';

describe('sql', () => {
  it('quotes identifiers so that any text is inert', () => {
    expect(quoteIdentifier('person')).toBe('"person"');
    expect(quoteIdentifier('a"; DROP SCHEMA core; --')).toBe('"a""; DROP SCHEMA core; --"');
  });

  it('quotes literals by doubling quotes and refuses NUL', () => {
    expect(quoteLiteral("O'Brien")).toBe("'O''Brien'");
    expect(() => quoteLiteral('a\u0000b')).toThrow('NUL');
  });

  it('renders values as literals', () => {
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(true)).toBe('true');
    expect(sqlLiteral(1.5)).toBe('1.5');
    expect(sqlLiteral(['a', "b'c"])).toBe("ARRAY['a', 'b''c']");
    expect(sqlLiteral([])).toBe("'{}'");
    expect(sqlLiteral({ source: 'MANUAL' })).toBe(`'{"source":"MANUAL"}'`);
    expect(() => sqlLiteral(Number.NaN)).toThrow('finite');
  });

  it('inlines parameters by position, $10 not mistaken for $1', () => {
    const params = Array.from({ length: 10 }, (_, index) => `v${index + 1}`);
    expect(renderStatement({ sql: 'SELECT $1, $10, $2', params })).toBe("SELECT 'v1', 'v10', 'v2'");
    expect(renderStatement({ sql: 'SELECT $1', params: ['$2'] })).toBe("SELECT '$2'");
    expect(renderStatement({ sql: 'SELECT $1, $2', params: ['costs $2', 'x'] })).toBe("SELECT 'costs $2', 'x'");
  });

  it('leaves quoted text alone and names a missing parameter', () => {
    expect(renderStatement({ sql: `SELECT '$1', "$1", $$ $1 $$, $f$ $1 $f$, $1`, params: ['v'] })).toBe(
      `SELECT '$1', "$1", $$ $1 $$, $f$ $1 $f$, 'v'`,
    );
    expect(renderStatement({ sql: `SELECT 'it''s $1', $1`, params: ['v'] })).toBe(`SELECT 'it''s $1', 'v'`);
    expect(() => renderStatement({ sql: 'SELECT $2', params: ['v'] })).toThrow('refers to $2 but has 1 parameter(s)');
  });
});
