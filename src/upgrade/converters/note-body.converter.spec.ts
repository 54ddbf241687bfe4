import { type BlockNoteBlock, inlineTexts, parseBlockNoteDocument } from './blocknote';
import { convertNoteBody, noteBlockId } from './note-body.converter';
import { BLOCKNOTE_CASES, TEXT_CASES } from './note-body.corpus.spec-support';

const NOTE_ID = '6b1f3c52-0d4e-4f7a-9a51-2f0f8c1d7e90';

const documentTexts = (blocks: readonly BlockNoteBlock[]): string[] =>
  blocks.flatMap((block) => [...inlineTexts(block.content), ...documentTexts(block.children ?? [])]);

/** Markdown as a reader sees its text: backslash escapes of punctuation removed. */
const unescapeMarkdown = (markdown: string): string => markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');

const fragments = (texts: string[]): string[] => texts.flatMap((value) => value.split(/\s+/)).filter((word) => word !== '');

describe('convertNoteBody', () => {
  it('keeps NULL as NULL, empty as empty, and blank text as markdown without blocks', () => {
    expect(convertNoteBody(null, NOTE_ID)).toEqual({ blocknote: null, markdown: null });
    expect(convertNoteBody('', NOTE_ID)).toEqual({ blocknote: '', markdown: '' });
    expect(convertNoteBody(' \n\t\n ', NOTE_ID)).toEqual({ blocknote: '', markdown: ' \n\t\n ' });
  });

  describe.each(BLOCKNOTE_CASES.map((noteCase) => [noteCase.name, noteCase] as const))('a BlockNote document: %s', (_name, noteCase) => {
    const converted = convertNoteBody(noteCase.body, NOTE_ID);

    it('is kept verbatim as blocknote and rendered to the expected markdown', () => {
      expect(converted.blocknote).toBe(noteCase.body);
      expect(converted.markdown).toBe(noteCase.markdown);
    });

    it('has every text fragment of the document in its markdown and its blocknote', () => {
      const input = fragments(documentTexts(parseBlockNoteDocument(noteCase.body) ?? []));
      expect(input.length).toBeGreaterThan(0);
      const markdown = unescapeMarkdown(converted.markdown ?? '');
      const blocknote = documentTexts(parseBlockNoteDocument(converted.blocknote ?? '') ?? []).join('\n');
      expect(input.filter((fragment) => !markdown.includes(fragment))).toEqual([]);
      expect(input.filter((fragment) => !blocknote.includes(fragment))).toEqual([]);
    });
  });

  describe.each(TEXT_CASES.map((noteCase) => [noteCase.name, noteCase] as const))('a plain text: %s', (_name, noteCase) => {
    const converted = convertNoteBody(noteCase.body, NOTE_ID);
    const blocks = parseBlockNoteDocument(converted.blocknote ?? '') ?? [];

    it('is kept verbatim as markdown', () => {
      expect(converted.markdown).toBe(noteCase.body);
    });

    it('becomes one paragraph per run of lines between blank lines, with ids derived from the note', () => {
      const expected = noteCase.body
        .replace(/\r\n/g, '\n')
        .split(/\n(?:[ \t]*\n)+/)
        .map((part) => part.replace(/^\n+|\n+$/g, ''))
        .filter((part) => part.trim() !== '');
      expect(blocks.map((block) => block.type)).toEqual(expected.map(() => 'paragraph'));
      expect(blocks.map((block) => inlineTexts(block.content).join(''))).toEqual(expected);
      expect(blocks.map((block) => block.id)).toEqual(expected.map((_part, index) => noteBlockId(NOTE_ID, index)));
    });

    it('has every text fragment of the text in its blocknote', () => {
      const blocknote = documentTexts(blocks).join('\n');
      expect(fragments([noteCase.body]).filter((fragment) => !blocknote.includes(fragment))).toEqual([]);
    });
  });

  it('writes paragraphs as the editor does: default props, one unstyled text, no children', () => {
    expect(JSON.parse(convertNoteBody('Hello\nthere\n\nBye', NOTE_ID).blocknote ?? '')).toEqual([
      {
        id: noteBlockId(NOTE_ID, 0),
        type: 'paragraph',
        props: { textColor: 'default', backgroundColor: 'default', textAlignment: 'left' },
        content: [{ type: 'text', text: 'Hello\nthere', styles: {} }],
        children: [],
      },
      {
        id: noteBlockId(NOTE_ID, 1),
        type: 'paragraph',
        props: { textColor: 'default', backgroundColor: 'default', textAlignment: 'left' },
        content: [{ type: 'text', text: 'Bye', styles: {} }],
        children: [],
      },
    ]);
  });

  it('gives the same output on a rerun and other block ids to another note', () => {
    const body = 'One\n\nTwo';
    expect(convertNoteBody(body, NOTE_ID)).toEqual(convertNoteBody(body, NOTE_ID));
    expect(noteBlockId(NOTE_ID, 0)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(noteBlockId(NOTE_ID, 0)).not.toBe(noteBlockId(NOTE_ID, 1));
    expect(noteBlockId(NOTE_ID, 0)).not.toBe(noteBlockId('0e4a8b7c-1111-4222-8333-944455566677', 0));
  });
});
