import type { BlockNoteBlock, BlockNoteInline, BlockNoteStyles } from './blocknote';

/** Note bodies as 0.24 holds them, with the markdown expected of each BlockNote document. */
export interface NoteBodyCase {
  name: string;
  body: string;
  /** The exact markdown of a BlockNote document; a plain text's markdown is the text itself. */
  markdown?: string;
}

const DEFAULT_PROPS = { textColor: 'default', backgroundColor: 'default', textAlignment: 'left' };

export const text = (value: string, styles: BlockNoteStyles = {}): BlockNoteInline => ({ type: 'text', text: value, styles });
export const link = (href: string, ...content: BlockNoteInline[]): BlockNoteInline => ({ type: 'link', href, content }) as BlockNoteInline;

let nextId = 0;
/** A block as the editor saves it: an id, the default props and its own, children. */
export const block = (
  type: string,
  content: BlockNoteBlock['content'],
  props: Record<string, unknown> = {},
  children: BlockNoteBlock[] = [],
): BlockNoteBlock => {
  nextId += 1;
  return {
    id: `00000000-0000-4000-8000-${String(nextId).padStart(12, '0')}`,
    type,
    props: { ...DEFAULT_PROPS, ...props },
    content,
    children,
  };
};

const doc = (...blocks: BlockNoteBlock[]): string => JSON.stringify(blocks);

export const BLOCKNOTE_CASES: NoteBodyCase[] = [
  {
    name: 'a paragraph',
    body: doc(block('paragraph', [text('Met Anna at the fair.')])),
    markdown: 'Met Anna at the fair.',
  },
  {
    name: 'headings of levels 1 to 3, and a level out of range',
    body: doc(
      block('heading', [text('Account plan')], { level: 1 }),
      block('heading', [text('Goals')], { level: 2 }),
      block('heading', [text('This quarter')], { level: 3 }),
      block('heading', [text('Deep')], { level: 9 }),
      block('heading', [text('No level')], {}),
      block('heading', [text('Ends with C#')], { level: 2 }),
    ),
    markdown: '# Account plan\n\n## Goals\n\n### This quarter\n\n###### Deep\n\n# No level\n\n## Ends with C\\#',
  },
  {
    name: 'paragraphs, empty paragraphs between them dropped',
    body: doc(block('paragraph', [text('First.')]), block('paragraph', []), block('paragraph', [text('Second.')]), block('paragraph', [])),
    markdown: 'First.\n\nSecond.',
  },
  {
    name: 'inline styles: bold, italic, both, code, strike, underline (no markdown), colours',
    body: doc(
      block('paragraph', [
        text('Call '),
        text('Anna', { bold: true }),
        text(' about the '),
        text('renewal', { italic: true }),
        text(', '),
        text('urgent', { bold: true, italic: true }),
        text('; run '),
        text('npm ci', { code: true }),
        text(', '),
        text('old price', { strike: true }),
        text(' and '),
        text('underlined', { underline: true }),
        text(' in '),
        text('red', { textColor: 'red', backgroundColor: 'yellow' }),
        text('.'),
      ]),
    ),
    markdown: 'Call **Anna** about the *renewal*, ***urgent***; run `npm ci`, ~~old price~~ and underlined in red.',
  },
  {
    name: 'styles that overlap, and blanks at the edges of styled text',
    body: doc(
      block('paragraph', [
        text('very ', { bold: true }),
        text('important', { bold: true, italic: true }),
        text(' note', { italic: true }),
        text(' spaced ', { bold: true }),
        text('end'),
      ]),
    ),
    markdown: '**very *important*** *note* **spaced** end',
  },
  {
    name: 'styled blanks and a line break between styled words',
    body: doc(block('paragraph', [text('before', { italic: true }), text(' ', { bold: true }), text('\n'), text('after', { bold: true })])),
    markdown: '*before* \\\n**after**',
  },
  {
    name: 'adjacent text of the same style merged',
    body: doc(block('paragraph', [text('al', { bold: true }), text('so', { bold: true }), text(' fine')])),
    markdown: '**also** fine',
  },
  {
    name: 'links: plain, styled, with spaces or brackets in the address, without text',
    body: doc(
      block('paragraph', [
        text('See '),
        link('https://example.com/deal', text('the deal')),
        text(', '),
        link('https://example.com/q?a=1', text('bold ', { bold: true }), text('link')),
        text(', '),
        link('https://example.com/a file (1).pdf', text('the file')),
        text(' and '),
        link('https://example.com/empty'),
      ]),
    ),
    markdown:
      'See [the deal](https://example.com/deal), [**bold** link](https://example.com/q?a=1), [the file](<https://example.com/a file (1).pdf>) and [https://example.com/empty](https://example.com/empty)',
  },
  {
    name: 'a bulleted list with nesting',
    body: doc(
      block('bulletListItem', [text('Budget')], {}, [
        block('bulletListItem', [text('Licences')]),
        block('bulletListItem', [text('Services')], {}, [block('bulletListItem', [text('Training')])]),
      ]),
      block('bulletListItem', [text('Timeline')]),
    ),
    markdown: '- Budget\n  - Licences\n  - Services\n    - Training\n- Timeline',
  },
  {
    name: 'a numbered list, with a start, nesting and a list after it',
    body: doc(
      block('numberedListItem', [text('Discovery')], { start: 3 }),
      block('numberedListItem', [text('Demo')], {}, [
        block('numberedListItem', [text('Prepare data')]),
        block('numberedListItem', [text('Rehearse')]),
      ]),
      block('numberedListItem', [text('Proposal')]),
      block('paragraph', [text('Then:')]),
      block('numberedListItem', [text('Close')]),
    ),
    markdown: '3. Discovery\n4. Demo\n   1. Prepare data\n   2. Rehearse\n5. Proposal\n\nThen:\n\n1. Close',
  },
  {
    name: 'a check list, checked and not, nested',
    body: doc(
      block('checkListItem', [text('Send contract')], { checked: true }),
      block('checkListItem', [text('Book meeting')], { checked: false }, [block('checkListItem', [text('Find a room')])]),
    ),
    markdown: '- [x] Send contract\n- [ ] Book meeting\n  - [ ] Find a room',
  },
  {
    name: 'lists of different kinds one after the other, and a toggle item as a bullet',
    body: doc(
      block('bulletListItem', [text('bullet')]),
      block('numberedListItem', [text('number')]),
      block('checkListItem', [text('check')]),
      block('toggleListItem', [text('toggle')]),
    ),
    markdown: '- bullet\n\n1. number\n\n- [ ] check\n\n- toggle',
  },
  {
    name: 'a list item with a line break and a paragraph under it',
    body: doc(block('bulletListItem', [text('Line one\nline two')], {}, [block('paragraph', [text('More about it.')])])),
    markdown: '- Line one\\\n  line two\n\n  More about it.',
  },
  {
    name: 'a quote with a line break and a nested block',
    body: doc(block('quote', [text('We will sign\nby Friday.')], {}, [block('paragraph', [text('-- the CFO')])])),
    markdown: '> We will sign\\\n> by Friday.\n>\n> \\-- the CFO',
  },
  {
    name: 'code blocks: with a language, with fences inside, without a language',
    body: doc(
      block('codeBlock', [text('SELECT *\nFROM deals;')], { language: 'sql' }),
      block('codeBlock', [text('```\ninner\n```')], { language: 'markdown' }),
      block('codeBlock', [text('plain')], { language: 'text' }),
    ),
    markdown: '```sql\nSELECT *\nFROM deals;\n```\n\n````markdown\n```\ninner\n```\n````\n\n```\nplain\n```',
  },
  {
    name: 'code spans holding backticks',
    body: doc(block('paragraph', [text('use '), text('a`b', { code: true }), text(' or '), text('`x`', { code: true })])),
    markdown: 'use ``a`b`` or `` `x` ``',
  },
  {
    name: 'markdown characters in text are escaped, line starts included',
    body: doc(
      block('paragraph', [text('2 * 3 = 6, [draft] _v2_ <b> &amp; ~approx~ a\\b')]),
      block('paragraph', [text('# not a heading')]),
      block('paragraph', [text('1986. A good year\n- not a list\n> not a quote\n+ plus')]),
      block('paragraph', [text('---')]),
    ),
    markdown:
      '2 \\* 3 = 6, \\[draft\\] \\_v2\\_ \\<b> \\&amp; \\~approx\\~ a\\\\b\n\n\\# not a heading\n\n1986\\. A good year\\\n\\- not a list\\\n\\> not a quote\\\n\\+ plus\n\n\\---',
  },
  {
    name: 'a table, in the old cell form and the tableCell form, with a pipe and a short row',
    body: doc(
      block('table', {
        type: 'tableContent',
        rows: [
          { cells: [[text('Product')], [text('Price', { bold: true })], [text('Notes')]] },
          { cells: [{ type: 'tableCell', content: [text('Seats')], props: {} }, [text('10')], [text('a|b')]] },
          { cells: [[text('Support')]] },
        ],
      }),
    ),
    markdown: '| Product | **Price** | Notes |\n| --- | --- | --- |\n| Seats | 10 | a\\|b |\n| Support |  |  |',
  },
  {
    name: 'an unknown block type keeps its text and its children',
    body: doc(
      block('alert', [text('Contract expires soon')], { type: 'warning' }, [block('paragraph', [text('Renew by June.')])]),
      block('callout', 'Plain string content'),
    ),
    markdown: 'Contract expires soon\n\nRenew by June.\n\nPlain string content',
  },
  {
    name: 'unknown inline content keeps its text; content given as strings',
    body: doc(
      block('paragraph', [
        'Hello ',
        { type: 'mention', props: { user: 'x' } },
        { type: 'tag', text: '#vip' },
        { type: 'chip', content: [text('chip text')] },
      ] as BlockNoteInline[]),
    ),
    markdown: 'Hello #vipchip text',
  },
  {
    name: 'images and files',
    body: doc(
      block('paragraph', [text('Attachments:')]),
      block('image', undefined, { url: 'https://cdn.example.com/logo.png', caption: 'Logo', name: 'logo.png' }),
      block('file', undefined, { url: 'https://cdn.example.com/q3.pdf', name: 'q3.pdf', caption: 'Q3 figures' }),
      block('video', undefined, { url: '', name: 'demo.mp4', caption: '' }),
    ),
    markdown:
      'Attachments:\n\n![Logo](https://cdn.example.com/logo.png)\n\n[q3.pdf](https://cdn.example.com/q3.pdf)\n\nQ3 figures\n\ndemo.mp4',
  },
  {
    name: 'a partial document: no ids, no props, no children',
    body: JSON.stringify([
      { type: 'paragraph', content: [{ type: 'text', text: 'Just text' }] },
      { type: 'heading', props: { level: 2 }, content: 'Title' },
    ]),
    markdown: 'Just text\n\n## Title',
  },
  {
    name: 'a divider between paragraphs',
    body: doc(block('paragraph', [text('Above')]), block('divider', undefined), block('paragraph', [text('Below')])),
    markdown: 'Above\n\n***\n\nBelow',
  },
  {
    name: 'a meeting note as the editor saves it',
    body: doc(
      block('heading', [text('Kick-off with '), text('Acme', { bold: true })], { level: 2 }),
      block('paragraph', [text('Attendees: Anna (CTO), Bob, me.')]),
      block('heading', [text('Decisions')], { level: 3 }),
      block('numberedListItem', [text('Pilot with '), text('50', { bold: true }), text(' seats')]),
      block('numberedListItem', [text('Start on '), text('2025-03-01', { code: true })]),
      block('heading', [text('Next steps')], { level: 3 }),
      block('checkListItem', [text('Send the order form')], { checked: false }),
      block('checkListItem', [text('Share '), link('https://docs.example.com/onboarding', text('onboarding guide'))], { checked: true }),
      block('paragraph', []),
    ),
    markdown:
      '## Kick-off with **Acme**\n\nAttendees: Anna (CTO), Bob, me.\n\n### Decisions\n\n1. Pilot with **50** seats\n2. Start on `2025-03-01`\n\n### Next steps\n\n- [ ] Send the order form\n- [x] Share [onboarding guide](https://docs.example.com/onboarding)',
  },
  {
    name: 'text in other scripts and emoji',
    body: doc(block('paragraph', [text('Réunion à Zürich — 会议 — Встреча 🎉', { italic: true })])),
    markdown: '*Réunion à Zürich — 会议 — Встреча 🎉*',
  },
];

/** Plain texts and texts that only look like documents: kept as markdown, paragraphs in blocknote. */
export const TEXT_CASES: NoteBodyCase[] = [
  { name: 'one line', body: 'Called, no answer.' },
  { name: 'lines of one paragraph', body: 'Spoke to Anna.\nShe wants a demo.\nFollow up Monday.' },
  {
    name: 'paragraphs split by blank lines',
    body: 'First paragraph.\n\nSecond paragraph,\nstill second.\n\n\n\nThird after many blank lines.',
  },
  { name: 'blank lines holding spaces and tabs', body: 'Alpha\n   \nBeta\n\t\nGamma' },
  { name: 'Windows line endings', body: 'Line one\r\nline two\r\n\r\nNext paragraph' },
  { name: 'leading and trailing blank lines', body: '\n\n  Indented start\n\nEnd\n\n' },
  { name: 'markdown already', body: '# Notes\n\n- item one\n- item two\n\n**bold** and `code`' },
  { name: 'invalid JSON: a truncated document', body: '[{"id":"1","type":"paragraph","content":[{"type":"text","text":"cut off' },
  { name: 'JSON that is not a document: an object', body: '{"summary": "call back", "priority": 2}' },
  { name: 'JSON that is not a document: an array of strings', body: '["alpha", "beta"]' },
  { name: 'JSON that is not a document: an array of numbers', body: '[1, 2, 3]' },
  { name: 'JSON that is not a document: blocks without a type', body: '[{"id": "1", "content": [{"type": "text", "text": "no type"}]}]' },
  { name: 'an empty JSON array', body: '[]' },
  { name: 'brackets that are not JSON', body: '[todo] call Bob\n[done] email Anna' },
  { name: 'a JSON string', body: '"quoted note"' },
  { name: 'other scripts and emoji', body: 'Réunion à Zürich 🎉\n\n会议记录：预算已批准。\n\nВстреча прошла хорошо.' },
  { name: 'HTML', body: '<p>Hello <b>world</b></p>\n\n<ul><li>one</li></ul>' },
  { name: 'a long note', body: Array.from({ length: 60 }, (_, index) => `Paragraph ${index + 1} about the account.`).join('\n\n') },
  { name: 'one character', body: 'x' },
];
