// Markdown (CommonMark with GitHub's tables, strikethrough and task lists) of a BlockNote document.
// Written by hand: BlockNote's own exporter (@blocknote/server-util) needs a DOM emulation and
// React in the process, a heavy price per upgrade run for what is a walk over documented JSON.
import { type BlockNoteBlock, type BlockNoteInline, type BlockNoteStyles, type BlockNoteTableContent, inlineTexts } from './blocknote';

type Mark = 'strike' | 'bold' | 'italic';

/** Outermost first; code is always innermost, as a code span holds no other markup. */
const MARKS: readonly Mark[] = ['strike', 'bold', 'italic'];
const DELIMITERS: Record<Mark, string> = { strike: '~~', bold: '**', italic: '*' };

interface Run {
  text: string;
  marks: Mark[];
  code: boolean;
}

type Segment = { runs: Run[]; href?: string };

const HARD_BREAK = '\\\n';

// Characters that would start markup anywhere in a line, and an entity that would be decoded.
const escapeInline = (text: string): string => text.replace(/[\\`*_[\]<~]/g, '\\$&').replace(/&(?=#?\w+;)/g, '\\&');

// What would start a block at the beginning of a line: a heading, quote, list item, thematic break
// or setext underline. Escaping a character that needs none is harmless in CommonMark.
const escapeLineStarts = (markdown: string): string =>
  markdown
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*)>/, '$1\\>')
        .replace(/^(\s*)(#{1,6}|[+=-])(?=[\s#=+-]|$)/, '$1\\$2')
        .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2'),
    )
    .join('\n');

const codeSpan = (text: string): string => {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
};

const marksOf = (styles: BlockNoteStyles | undefined): Mark[] => MARKS.filter((mark) => styles?.[mark] === true);

const textRuns = (content: unknown): Run[] => inlineTexts(content).map((text) => ({ text, marks: [], code: false }));

const runsOf = (item: BlockNoteInline | string): Run[] => {
  if (typeof item === 'string') return [{ text: item, marks: [], code: false }];
  if (item.type === 'text' && typeof item.text === 'string') {
    const styles = (item as { styles?: BlockNoteStyles }).styles;
    return [{ text: item.text, marks: marksOf(styles), code: styles?.code === true }];
  }
  return textRuns(item);
};

const segmentsOf = (content: unknown): Segment[] => {
  if (!Array.isArray(content)) return [{ runs: textRuns(content) }];
  const segments: Segment[] = [];
  for (const item of content as (BlockNoteInline | string)[]) {
    if (typeof item === 'object' && item !== null && item.type === 'link' && typeof (item as { href?: unknown }).href === 'string') {
      const link = item as { href: string; content?: unknown };
      const inner = Array.isArray(link.content) ? link.content.flatMap(runsOf) : textRuns(link.content);
      segments.push({ runs: inner, href: link.href });
      continue;
    }
    const last = segments[segments.length - 1];
    if (last && last.href === undefined) last.runs.push(...runsOf(item));
    else segments.push({ runs: runsOf(item) });
  }
  return segments;
};

const sameStyle = (a: Run, b: Run): boolean => a.code === b.code && a.marks.join() === b.marks.join();

/** Runs of one segment with their marks opened and closed so that they nest, blanks outside them. */
const renderRuns = (runs: Run[]): string => {
  const merged: Run[] = [];
  for (const run of runs) {
    const last = merged[merged.length - 1];
    if (last && sameStyle(last, run)) last.text += run.text;
    else merged.push({ ...run });
  }
  let out = '';
  let open: Mark[] = [];
  let pendingBlank = '';
  const breaks = (blank: string): string => blank.replace(/\r?\n/g, HARD_BREAK);
  for (const run of merged) {
    const core = run.text.trim();
    if (core === '') {
      pendingBlank += run.text;
      continue;
    }
    const lead = run.text.slice(0, run.text.length - run.text.trimStart().length);
    const trail = run.text.slice(run.text.trimEnd().length);
    const keep = open.findIndex((mark) => !run.marks.includes(mark));
    if (keep >= 0) {
      out += open
        .slice(keep)
        .reverse()
        .map((mark) => DELIMITERS[mark])
        .join('');
      open = open.slice(0, keep);
    }
    out += breaks(pendingBlank + lead);
    for (const mark of run.marks) {
      if (open.includes(mark)) continue;
      out += DELIMITERS[mark];
      open.push(mark);
    }
    out += run.code ? codeSpan(core) : escapeInline(core).replace(/\r?\n/g, HARD_BREAK);
    pendingBlank = trail;
  }
  out += open
    .reverse()
    .map((mark) => DELIMITERS[mark])
    .join('');
  return out + breaks(pendingBlank);
};

const destination = (href: string): string => (/[\s()<>]/.test(href) ? `<${href.replace(/[<>]/g, encodeURIComponent)}>` : href);

/** The inline content of a block as one markdown string, trimmed. */
const renderInline = (content: unknown): string => {
  const rendered = segmentsOf(content)
    .map((segment) => {
      const text = renderRuns(segment.runs);
      return segment.href === undefined ? text : `[${text.trim() || escapeInline(segment.href)}](${destination(segment.href)})`;
    })
    .join('');
  return escapeLineStarts(rendered.replace(/^(\s|\\\n)+|(\s|\\\n)+$/g, ''));
};

const indent = (text: string, prefix: string, first = prefix): string =>
  text
    .split('\n')
    .map((line, index) => (line === '' ? line : `${index === 0 ? first : prefix}${line}`))
    .join('\n');

const isTableContent = (content: unknown): content is BlockNoteTableContent =>
  typeof content === 'object' && content !== null && !Array.isArray(content) && Array.isArray((content as { rows?: unknown }).rows);

const renderTable = (table: BlockNoteTableContent): string => {
  const rows = table.rows.map((row) =>
    (Array.isArray(row?.cells) ? row.cells : []).map((cell) => {
      const content = Array.isArray(cell) ? cell : (cell as { content?: unknown })?.content;
      return renderInline(content).replace(/\\\n/g, '<br>').replace(/\n/g, ' ').replace(/\|/g, '\\|');
    }),
  );
  if (rows.length === 0) return '';
  const width = Math.max(1, ...rows.map((row) => row.length));
  const line = (cells: string[]): string => `| ${Array.from({ length: width }, (_, index) => cells[index] ?? '').join(' | ')} |`;
  return [line(rows[0]), line(Array.from({ length: width }, () => '---')), ...rows.slice(1).map(line)].join('\n');
};

const codeBlock = (block: BlockNoteBlock): string => {
  const code = inlineTexts(block.content).join('');
  const longest = Math.max(0, ...(code.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const language = typeof block.props?.language === 'string' && block.props.language !== 'text' ? block.props.language : '';
  return `${fence}${language.replace(/[`\s]/g, '')}\n${code}${code.endsWith('\n') || code === '' ? '' : '\n'}${fence}`;
};

const fileBlock = (block: BlockNoteBlock): string => {
  const prop = (name: string): string => (typeof block.props?.[name] === 'string' ? (block.props[name] as string) : '');
  const url = prop('url');
  const name = prop('name');
  const caption = prop('caption');
  if (url === '') return escapeInline([name, caption].filter(Boolean).join('\n'));
  const label = escapeInline(block.type === 'image' ? caption || name : name || caption || url);
  const link = `${block.type === 'image' ? '!' : ''}[${label}](${destination(url)})`;
  return caption !== '' && block.type !== 'image' && name !== '' ? `${link}\n\n${escapeInline(caption)}` : link;
};

type ListKind = 'bullet' | 'numbered' | 'check';

const LIST_KINDS: Record<string, ListKind> = {
  bulletListItem: 'bullet',
  toggleListItem: 'bullet',
  numberedListItem: 'numbered',
  checkListItem: 'check',
};

const FILE_BLOCKS = new Set(['image', 'file', 'video', 'audio']);

/** The markdown of one block without its children (those of a list item are indented under it). */
const renderOwn = (block: BlockNoteBlock, number: number): { marker?: string; text: string } => {
  const kind = LIST_KINDS[block.type];
  const text = () => renderInline(block.content);
  if (kind === 'bullet') return { marker: '- ', text: text() };
  if (kind === 'numbered') return { marker: `${number}. `, text: text() };
  if (kind === 'check') return { marker: `- [${block.props?.checked === true ? 'x' : ' '}] `, text: text() };
  switch (block.type) {
    case 'heading': {
      const level = Math.min(6, Math.max(1, Math.trunc(Number(block.props?.level ?? 1)) || 1));
      // One line; a closing run of # would be read as the heading's closing sequence.
      const heading = text()
        .replace(/\\\n/g, ' ')
        .replace(/#+$/, (run) => `\\${run}`);
      return { text: heading === '' ? '' : `${'#'.repeat(level)} ${heading}` };
    }
    case 'codeBlock':
      return { text: codeBlock(block) };
    case 'divider':
      return { text: '***' };
    default:
      if (FILE_BLOCKS.has(block.type)) return { text: fileBlock(block) };
      if (isTableContent(block.content)) return { text: renderTable(block.content) };
      // A paragraph, a quote (wrapped by the caller) or a block of an unknown type: its text.
      return { text: text() };
  }
};

const renderBlock = (block: BlockNoteBlock, number: number): { kind?: ListKind; markdown: string } => {
  const own = renderOwn(block, number);
  const children = renderBlocks(block.children ?? []);
  const kind = LIST_KINDS[block.type];
  if (own.marker !== undefined) {
    // Nested blocks line up with the item's text; a task's box is part of that text.
    const width = ' '.repeat(kind === 'check' ? 2 : own.marker.length);
    const item = indent(own.text, ' '.repeat(own.marker.length), own.marker).trimEnd() || own.marker.trimEnd();
    const firstChild = block.children?.[0];
    const gap = firstChild && LIST_KINDS[firstChild.type] ? '\n' : '\n\n';
    const nested = children === '' ? '' : `${gap}${indent(children, width)}`;
    return { kind, markdown: `${item}${nested}` };
  }
  const body = [own.text, children].filter((part) => part !== '').join('\n\n');
  if (block.type === 'quote')
    return {
      markdown:
        body === ''
          ? ''
          : body
              .split('\n')
              .map((line) => (line === '' ? '>' : `> ${line}`))
              .join('\n'),
    };
  return { markdown: body };
};

/** The markdown of a sequence of blocks: list items of one list on consecutive lines, other blocks a blank line apart. */
const renderBlocks = (blocks: readonly BlockNoteBlock[]): string => {
  let out = '';
  let previous: ListKind | undefined;
  let number = 1;
  for (const block of blocks) {
    const kind = LIST_KINDS[block.type];
    if (kind === 'numbered') {
      const start = Number(block.props?.start);
      number =
        previous === 'numbered' && !(Number.isInteger(start) && start >= 0)
          ? number + 1
          : Number.isInteger(start) && start >= 0
            ? start
            : 1;
    }
    const { markdown } = renderBlock(block, number);
    if (markdown === '') {
      previous = undefined;
      continue;
    }
    if (out !== '') out += kind !== undefined && kind === previous ? '\n' : '\n\n';
    out += markdown;
    previous = kind;
  }
  return out;
};

/** The markdown of a BlockNote document. */
export const renderBlockNoteMarkdown = (blocks: readonly BlockNoteBlock[]): string => renderBlocks(blocks);
