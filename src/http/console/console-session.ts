import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { IncomingMessage } from 'node:http';

/** The cookie that holds the key the console was signed in with. */
export const SESSION_COOKIE = 'wms_console';
/** The cookie that pairs the sign-in form with the browser that asked for it. */
export const SIGN_IN_COOKIE = 'wms_console_sign_in';

/** The value of one cookie of a request; null when it is absent or not readable. */
export const readCookie = (header: string | undefined, name: string): string | null => {
  for (const pair of (header ?? '').split(';')) {
    const index = pair.indexOf('=');
    if (index < 0 || pair.slice(0, index).trim() !== name) continue;
    try {
      return decodeURIComponent(pair.slice(index + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
};

/**
 * A cookie of the console: HTTP-only (no script reads it), SameSite=Strict (no other site's page
 * sends it), for /console only, Secure when the request came over HTTPS.
 */
export const cookieHeader = (request: IncomingMessage & { secure?: boolean }, name: string, value: string | null): string =>
  [
    `${name}=${value === null ? '' : encodeURIComponent(value)}`,
    'Path=/console',
    'HttpOnly',
    'SameSite=Strict',
    ...(request.secure ? ['Secure'] : []),
    ...(value === null ? ['Max-Age=0'] : []),
  ].join('; ');

/**
 * The CSRF token of a session: derived from its key, so a page of another site, which can read
 * neither the cookie nor the console's pages, cannot make it, and every server of a fleet agrees.
 */
export const csrfTokenFor = (sessionKey: string): string =>
  createHmac('sha256', sessionKey).update('wms console forms').digest('base64url');

export const newSignInToken = (): string => randomBytes(24).toString('base64url');

export const sameToken = (a: string | null | undefined, b: string | null | undefined): boolean => {
  if (!a || !b || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
};

/** The largest form the console reads (bytes): a key, a filter, a search. */
export const MAX_FORM_BYTES = 64 * 1024;

/** The fields of an urlencoded form, read from the request (bodies of other kinds are left unread). */
export const readForm = async (request: IncomingMessage & { form?: URLSearchParams }): Promise<URLSearchParams> => {
  if (request.form) return request.form;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new FormTooLargeError();
    chunks.push(chunk as Buffer);
  }
  request.form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  return request.form;
};

export class FormTooLargeError extends Error {
  constructor() {
    super(`the form is larger than ${MAX_FORM_BYTES} bytes`);
    this.name = 'FormTooLargeError';
  }
}
