// The BlockNote document format (https://www.blocknotejs.org/docs/foundations/document-structure),
// as far as the note conversion reads and writes it: a document is a JSON array of blocks.

export interface BlockNoteStyles {
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  code?: boolean;
  textColor?: string;
  backgroundColor?: string;
}

export interface BlockNoteText {
  type: 'text';
  text: string;
  styles?: BlockNoteStyles;
}

export interface BlockNoteLink {
  type: 'link';
  href: string;
  content: BlockNoteText[] | string;
}

/** Text, a link, or inline content of a custom type (a mention...), read for any text it holds. */
export type BlockNoteInline = BlockNoteText | BlockNoteLink | { type: string; text?: unknown; content?: unknown; props?: unknown };

/** A table cell: inline content, or (later versions) a `tableCell` holding it. */
export type BlockNoteTableCell = BlockNoteInline[] | { type: 'tableCell'; content: BlockNoteInline[]; props?: Record<string, unknown> };

export interface BlockNoteTableContent {
  type: 'tableContent';
  rows: { cells: BlockNoteTableCell[] }[];
  columnWidths?: unknown[];
}

export interface BlockNoteBlock {
  id?: string;
  type: string;
  props?: Record<string, unknown>;
  /** A string or plain strings among inline content: a partial block, as BlockNote's API accepts. */
  content?: BlockNoteInline[] | BlockNoteTableContent | string;
  children?: BlockNoteBlock[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isBlock = (value: unknown): value is BlockNoteBlock =>
  isObject(value) &&
  typeof value.type === 'string' &&
  (value.id === undefined || typeof value.id === 'string') &&
  (value.props === undefined || isObject(value.props)) &&
  (value.content === undefined || typeof value.content === 'string' || Array.isArray(value.content) || isObject(value.content)) &&
  (value.children === undefined || (Array.isArray(value.children) && value.children.every(isBlock)));

/**
 * The blocks of `text` when it is a BlockNote document: a JSON array of at least one block, each
 * an object with a string `type` and, when present, object props, text, array or table content and
 * array children of blocks. Anything else (other JSON, invalid JSON, `[]`) is not a document.
 */
export const parseBlockNoteDocument = (text: string): BlockNoteBlock[] | undefined => {
  const start = text.trimStart();
  if (!start.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return Array.isArray(parsed) && parsed.length > 0 && parsed.every(isBlock) ? parsed : undefined;
};

/** Every text fragment of the inline content of a block, links and cells included, in order. */
export const inlineTexts = (content: unknown): string[] => {
  if (typeof content === 'string') return [content];
  if (Array.isArray(content)) return content.flatMap(inlineTexts);
  if (!isObject(content)) return [];
  if (content.type === 'tableContent' && Array.isArray(content.rows)) {
    return content.rows.flatMap((row: unknown) => (isObject(row) && Array.isArray(row.cells) ? row.cells.flatMap(inlineTexts) : []));
  }
  if (typeof content.text === 'string') return [content.text];
  return inlineTexts(content.content);
};
