import { Transform, TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';

import { RecordError } from './record.error';

export const DEFAULT_CHARSET = 'utf-8';

/** A decoder that refuses bytes the charset cannot hold; an unknown charset is refused by name. */
export const decoderFor = (charset: string): TextDecoder => {
  try {
    return new TextDecoder(charset, { fatal: true });
  } catch {
    throw new RecordError(
      'INVALID',
      'charset',
      `the charset "${charset.slice(0, 40)}" is not supported; use utf-8 (the default), latin1 (iso-8859-1), windows-1252 or utf-16le`,
    );
  }
};

const newlines = (text: string): number => {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count += 1;
  return count;
};

/**
 * Text of a CSV file in a declared charset (UTF-8 when none is declared; a BOM is dropped), as
 * strings for the reader. Bytes that are not valid in the charset stop the import with the line
 * they are on, instead of becoming U+FFFD.
 */
export class CsvDecoder extends Transform {
  private readonly decoder: TextDecoder;
  private line = 1;

  constructor(charset: string = DEFAULT_CHARSET) {
    // Strings out, as they are decoded: no round trip through buffers.
    super({ readableObjectMode: true });
    this.decoder = decoderFor(charset);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      done(this.invalid(this.line + this.newlinesBefore(chunk)));
      return;
    }
    this.line += newlines(text);
    // In object mode an empty string would be read as a chunk: leave it out.
    done(null, text.length > 0 ? text : undefined);
  }

  override _flush(done: TransformCallback): void {
    try {
      const text = this.decoder.decode();
      done(null, text.length > 0 ? text : undefined);
    } catch {
      done(this.invalid(this.line));
    }
  }

  /** Newlines in `chunk` before its first invalid byte, found by decoding ever shorter prefixes. */
  private newlinesBefore(chunk: Buffer): number {
    const encoding = this.decoder.encoding;
    // Bytes continuing a character begun in the previous chunk are not the fault.
    let start = 0;
    while (encoding === 'utf-8' && start < 3 && start < chunk.length && (chunk[start] & 0xc0) === 0x80) start += 1;
    let valid = start;
    let invalid = chunk.length;
    while (invalid - valid > 1) {
      const middle = (valid + invalid) >> 1;
      try {
        new TextDecoder(encoding, { fatal: true }).decode(chunk.subarray(start, middle), { stream: true });
        valid = middle;
      } catch {
        invalid = middle;
      }
    }
    return newlines(new TextDecoder(encoding).decode(chunk.subarray(start, valid)));
  }

  private invalid(line: number): RecordError {
    const name = this.decoder.encoding === 'utf-8' ? 'UTF-8' : this.decoder.encoding;
    return new RecordError(
      'INVALID',
      'file',
      `line ${line}: the file is not valid ${name}; declare its charset (Content-Type: text/csv; charset=windows-1252, or --encoding latin1) or save it as UTF-8. Nothing was imported.`,
    );
  }
}
