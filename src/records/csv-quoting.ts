/**
 * The cells of one parsed record, an empty unquoted cell as null (NULL) and a quoted one ("") as
 * empty text, told apart from the record's raw text. csv-parse's cast option could tell them too,
 * but builds an object per cell, which slows the import several times over.
 */
export const cellsOf = (record: string[], raw: string): Array<string | null> => {
  if (!record.includes('')) return record;
  const quoted = quotedCells(raw);
  return record.map((cell, index) => (cell === '' && !quoted[index] ? null : cell));
};

/** For each cell of a record's raw text (comma-separated, double quotes), whether it is quoted. */
const quotedCells = (raw: string): boolean[] => {
  const quoted: boolean[] = [];
  let atStart = true;
  let inQuotes = false;
  for (let index = 0; index < raw.length; index += 1) {
    const char = raw[index];
    if (atStart) {
      atStart = false;
      quoted.push(char === '"');
      if (char === '"') {
        inQuotes = true;
        continue;
      }
    }
    if (inQuotes) {
      if (char === '"') {
        if (raw[index + 1] === '"') index += 1;
        else inQuotes = false;
      }
    } else if (char === ',') {
      atStart = true;
    } else if (char === '\n' || char === '\r') {
      break;
    }
  }
  if (atStart) quoted.push(false);
  return quoted;
};

/** Line breaks in a record's raw text: the lines it takes in the file. */
export const lineBreaks = (raw: string): number => {
  let count = 0;
  for (let index = raw.indexOf('\n'); index !== -1; index = raw.indexOf('\n', index + 1)) count += 1;
  return count;
};
