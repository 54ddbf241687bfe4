import { CsvRecordSplitter, RawRecord } from './csv-records';

/** Splits `chunks` as they would arrive, then ends the file. */
const split = (...chunks: string[]): RawRecord[] => {
  const splitter = new CsvRecordSplitter();
  return [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()];
};

describe('CsvRecordSplitter', () => {
  it('gives each record its text, its cells and the line it starts on, quoted line breaks included', () => {
    const records = split('a,b\n"multi\nline",x\n\n"say ""hi""",y\r\nlast,z');
    expect(records.map(({ line, text, cells, blank, irregular }) => ({ line, text, cells, blank, irregular }))).toEqual([
      { line: 1, text: 'a,b', cells: 2, blank: false, irregular: false },
      { line: 2, text: '"multi\nline",x', cells: 2, blank: false, irregular: false },
      { line: 4, text: '', cells: 1, blank: true, irregular: false },
      { line: 5, text: '"say ""hi""",y', cells: 2, blank: false, irregular: false },
      { line: 6, text: 'last,z', cells: 2, blank: false, irregular: false },
    ]);
    expect(records.map((record) => record.raw).join('')).toBe('a,b\n"multi\nline",x\n\n"say ""hi""",y\r\nlast,z');
  });

  it('finds the same records whatever the chunks, a doubled quote or a CRLF cut in two included', () => {
    const text = 'id,name\n1,"a ""b"", c"\r\n2,"x\ny"\n';
    const whole = split(text);
    for (let cut = 1; cut < text.length; cut += 1) {
      expect(split(text.slice(0, cut), text.slice(cut))).toEqual(whole);
    }
    expect(whole.map((record) => record.cells)).toEqual([2, 2, 2]);
  });

  it('flags what only the strict parser can judge', () => {
    const flagged = (text: string) => split(text).map((record) => record.irregular);
    expect(flagged('a"b,c\n')).toEqual([true]);
    expect(flagged('"a"b,c\n')).toEqual([true]);
    expect(flagged('a,"open\n')).toEqual([true]);
    expect(flagged('a\rb\n')).toEqual([true, false]);
    expect(flagged('\\.\nok\n')).toEqual([true, false]);
    expect(flagged('a\u0000b,c\n"d\u0000",e\n')).toEqual([true, true]);
    expect(flagged('"a",b\n')).toEqual([false]);
  });
});
