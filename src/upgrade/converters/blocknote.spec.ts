import { inlineTexts, parseBlockNoteDocument } from './blocknote';

describe('parseBlockNoteDocument', () => {
  it('reads a JSON array of blocks, blanks around it allowed', () => {
    const blocks = parseBlockNoteDocument(
      '  [{"type":"paragraph","content":[{"type":"text","text":"a"}],"children":[{"type":"quote"}]}]\n',
    );
    expect(blocks?.map((block) => block.type)).toEqual(['paragraph']);
    expect(blocks?.[0].children?.map((block) => block.type)).toEqual(['quote']);
  });

  it.each([
    ['invalid JSON', '[{"type":"paragraph"'],
    ['an empty array', '[]'],
    ['an object', '{"type":"paragraph"}'],
    ['an array holding a non-block', '[{"type":"paragraph"}, 3]'],
    ['a block without a type', '[{"content":[]}]'],
    ['a type that is not a string', '[{"type":1}]'],
    ['props that are not an object', '[{"type":"paragraph","props":[]}]'],
    ['an id that is not a string', '[{"type":"paragraph","id":7}]'],
    ['content that is a number', '[{"type":"paragraph","content":5}]'],
    ['children that are not blocks', '[{"type":"paragraph","children":[{"text":"x"}]}]'],
    ['plain text', 'Hello [world]'],
  ])('refuses %s', (_name, text) => {
    expect(parseBlockNoteDocument(text)).toBeUndefined();
  });
});

describe('inlineTexts', () => {
  it('reads text, links, plain strings, custom inline content and table cells of both forms, in order', () => {
    expect(
      inlineTexts([
        { type: 'text', text: 'a' },
        { type: 'link', href: 'https://x', content: [{ type: 'text', text: 'b' }] },
        'c',
        { type: 'mention', props: { user: 'nobody' } },
        { type: 'tag', text: 'd' },
      ]),
    ).toEqual(['a', 'b', 'c', 'd']);
    expect(
      inlineTexts({
        type: 'tableContent',
        rows: [{ cells: [[{ type: 'text', text: 'e' }], { type: 'tableCell', content: [{ type: 'text', text: 'f' }] }] }],
      }),
    ).toEqual(['e', 'f']);
  });
});
