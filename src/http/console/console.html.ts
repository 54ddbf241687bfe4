/** HTML made by the console's pages: text is escaped unless it is a fragment this module made. */
export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (character) => ESCAPES[character]);

type Part = Html | string | number | boolean | null | undefined | Part[];

const render = (part: Part): string => {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
};

/** A template of HTML: every value put in is escaped, except fragments made by `html` itself. */
export const html = (strings: TemplateStringsArray, ...values: Part[]): Html =>
  new Html(strings.reduce((out, text, index) => out + text + (index < values.length ? render(values[index]) : ''), ''));

/** A path of the console, each segment encoded. */
export const consolePath = (...segments: string[]): string => `/console/${segments.map(encodeURIComponent).join('/')}`;

/** A path with a query, the empty values left out. */
export const withQuery = (path: string, query: Record<string, string | number | undefined>): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
};

export const formatNumber = (value: number): string => value.toLocaleString('en-US');

/** A date as UTC, to the second: the same on every machine. */
export const formatTime = (value: Date | string | null): string =>
  value === null ? '' : `${new Date(value).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

export const formatDuration = (seconds: number | null): string => {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
};
