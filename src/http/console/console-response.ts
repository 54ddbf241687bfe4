import { Response } from 'express';

import { Html } from './console.html';

/**
 * The headers of every console page: nothing loaded from elsewhere, no framing, no caching of a
 * page that shows a session's data. Inline styles are allowed for the columns' sizes only (no
 * inline script).
 */
export const CONSOLE_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export const sendHtml = (response: Response, status: number, page: Html): void => {
  response.status(status).set(CONSOLE_HEADERS).type('html').send(page.text);
};

/** After a form that wrote: the page to show next (303: fetched with GET). */
export const redirectTo = (response: Response, location: string): void => {
  response.status(303).set(CONSOLE_HEADERS).location(location).end();
};

/** A request of the page's own script, which wants a fragment of HTML rather than a whole page. */
export const wantsFragment = (headers: Record<string, string | string[] | undefined>): boolean => headers['x-console-fragment'] === '1';
