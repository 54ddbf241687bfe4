/** One record of a CSV file as its raw text, found without parsing its cells. */
export interface RawRecord {
  /** Line of the file where the record starts (the first line is 1). */
  line: number;
  /** The record's text without its line break. */
  text: string;
  /** The record's text with its line break, as it is in the file. */
  raw: string;
  cells: number;
  /** The record has only an empty line. */
  blank: boolean;
  /**
   * The record holds what only the strict parser can judge: a quote inside an unquoted cell,
   * text after a closing quote, a carriage return alone, a quote left open at the end, or a
   * line that COPY would read as its end marker, a NUL character (which PostgreSQL's text cannot
   * hold: the row-by-row path refuses the import with its lines).
   */
  irregular: boolean;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const NUL = 0;

/**
 * Splits decoded CSV text (comma-separated, double quotes) into records as it arrives, keeping
 * the text of each and the line it starts on, so that the cells can be copied to the database
 * as they are while every record can still be named by its line. It judges only where records
 * end, as csv-parse and PostgreSQL's COPY both do for a well-formed file; anything else is
 * flagged for the strict parser.
 */
export class CsvRecordSplitter {
  private buffer = '';
  /** Where the record being read starts in `buffer`, and how far it has been scanned. */
  private start = 0;
  private position = 0;
  private nextLine = 1;
  private inQuotes = false;
  private atCellStart = true;
  private afterQuote = false;
  private cells = 1;
  private newlines = 0;
  private irregular = false;

  /** Adds text; returns the records it completes. */
  push(text: string): RawRecord[] {
    this.buffer = this.buffer.slice(this.start) + text;
    this.position -= this.start;
    this.start = 0;
    return this.scan(false);
  }

  /** The last record, when the file does not end with a line break. */
  end(): RawRecord[] {
    const records = this.scan(true);
    if (this.start < this.buffer.length) {
      if (this.inQuotes) this.irregular = true;
      records.push(this.record(this.buffer.length, this.buffer.length));
    }
    this.buffer = '';
    this.start = 0;
    this.position = 0;
    return records;
  }

  private scan(atEnd: boolean): RawRecord[] {
    const records: RawRecord[] = [];
    const buffer = this.buffer;
    const length = buffer.length;
    let index = this.position;
    while (index < length) {
      const code = buffer.charCodeAt(index);
      if (this.inQuotes) {
        if (code === QUOTE) {
          // A quote at the end of the text may be the first of a doubled one: wait for more.
          if (index + 1 === length && !atEnd) break;
          if (buffer.charCodeAt(index + 1) === QUOTE) index += 1;
          else {
            this.inQuotes = false;
            this.afterQuote = true;
          }
        } else if (code === LF) this.newlines += 1;
        else if (code === NUL) this.irregular = true;
        index += 1;
        continue;
      }
      if (code === COMMA) {
        this.cells += 1;
        this.atCellStart = true;
        this.afterQuote = false;
        index += 1;
        continue;
      }
      if (code === LF || code === CR) {
        if (code === CR) {
          if (index + 1 === length && !atEnd) break;
          if (buffer.charCodeAt(index + 1) !== LF) this.irregular = true;
        }
        const breakEnd = code === CR && buffer.charCodeAt(index + 1) === LF ? index + 2 : index + 1;
        if (breakEnd > index + 1 || code === LF) this.newlines += 1;
        records.push(this.record(index, breakEnd));
        index = breakEnd;
        continue;
      }
      if (code === NUL) this.irregular = true;
      if (code === QUOTE) {
        if (this.atCellStart) this.inQuotes = true;
        else this.irregular = true;
      } else if (this.afterQuote) {
        this.irregular = true;
      }
      this.atCellStart = false;
      index += 1;
    }
    this.position = index;
    return records;
  }

  /** The record from `start` to `textEnd` (its line break ends at `rawEnd`); resets the state. */
  private record(textEnd: number, rawEnd: number): RawRecord {
    const text = this.buffer.slice(this.start, textEnd);
    const record: RawRecord = {
      line: this.nextLine,
      text,
      raw: this.buffer.slice(this.start, rawEnd),
      cells: this.cells,
      blank: text.length === 0,
      irregular: this.irregular || text === '\\.',
    };
    this.nextLine += Math.max(1, this.newlines);
    this.start = rawEnd;
    this.inQuotes = false;
    this.atCellStart = true;
    this.afterQuote = false;
    this.cells = 1;
    this.newlines = 0;
    this.irregular = false;
    return record;
  }
}
