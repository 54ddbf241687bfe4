import { cellsOf, lineBreaks } from './csv-quoting';

describe('CSV quoting', () => {
  it('reads an empty unquoted cell as null and a quoted one as empty text', () => {
    expect(cellsOf(['a', '', '', 'say "x"', ''], 'a,,"","say ""x""",\n')).toEqual(['a', null, '', 'say "x"', null]);
    expect(cellsOf(['', 'b'], '"",b\r\n')).toEqual(['', 'b']);
    expect(cellsOf(['two\nlines', ''], '"two\nlines",\n')).toEqual(['two\nlines', null]);
  });

  it('counts the lines a record takes', () => {
    expect(lineBreaks('"two\nlines",x\n')).toBe(2);
    expect(lineBreaks('last,record')).toBe(0);
  });
});
