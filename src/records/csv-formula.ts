/**
 * Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
 * formula. Export puts a single quote before such text, and before text that already starts with
 * quotes followed by one of those characters (RecordRepository's exportCell), so that import can
 * strip exactly one quote from every cell of that form and give back the original text.
 */
const TO_UNESCAPE = /^'+[=+\-@\t\r]/;

export const unescapeFormula = (text: string): string => (TO_UNESCAPE.test(text) ? text.slice(1) : text);
