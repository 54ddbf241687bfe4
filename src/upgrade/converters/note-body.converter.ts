import { deterministicUuid } from '../../sync/deterministic-id';
import { type BlockNoteBlock, parseBlockNoteDocument } from './blocknote';
import { renderBlockNoteMarkdown } from './blocknote-markdown.renderer';

/** A RICH_TEXT_V2 value: a BlockNote document (JSON text) and its markdown. */
export interface RichTextV2 {
  blocknote: string | null;
  markdown: string | null;
}

// Blank lines (spaces and tabs allowed on them) end a paragraph.
const PARAGRAPH_BREAK = /\r?\n(?:[ \t]*\r?\n)+/;

/** The id of the `index`th block made from a note's text: the same on every run of the upgrade. */
export const noteBlockId = (noteId: string, index: number): string => deterministicUuid(noteId, 'bodyV2', String(index));

const paragraph = (id: string, text: string): BlockNoteBlock => ({
  id,
  type: 'paragraph',
  props: { textColor: 'default', backgroundColor: 'default', textAlignment: 'left' },
  content: [{ type: 'text', text, styles: {} }],
  children: [],
});

/** Plain text as BlockNote paragraphs, one per run of lines between blank lines. */
export const textToBlocks = (text: string, noteId: string): BlockNoteBlock[] =>
  text
    .split(PARAGRAPH_BREAK)
    .map((part) => part.replace(/\r\n/g, '\n').replace(/^\n+|\n+$/g, ''))
    .filter((part) => part.trim() !== '')
    .map((part, index) => paragraph(noteBlockId(noteId, index), part));

/**
 * A legacy TEXT note body as RICH_TEXT_V2. A BlockNote document is kept verbatim as `blocknote`
 * and rendered to `markdown`. Any other text (invalid JSON included) is kept verbatim as
 * `markdown` and becomes paragraphs in `blocknote`, blank lines splitting them, with ids derived
 * from the note's id so that a rerun writes the same document. NULL stays NULL; '' stays '', and
 * blank text has no blocks ('').
 */
export const convertNoteBody = (body: string | null, noteId: string): RichTextV2 => {
  if (body === null) return { blocknote: null, markdown: null };
  if (body === '') return { blocknote: '', markdown: '' };
  const document = parseBlockNoteDocument(body);
  if (document) return { blocknote: body, markdown: renderBlockNoteMarkdown(document) };
  const blocks = textToBlocks(body, noteId);
  return { blocknote: blocks.length === 0 ? '' : JSON.stringify(blocks), markdown: body };
};
