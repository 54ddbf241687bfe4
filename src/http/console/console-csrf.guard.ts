import { IncomingMessage } from 'node:http';

import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';

import { AuthenticatedRequest } from '../auth.guard';
import { readForm, sameToken } from './console-session';

/** A request from a page of another origin: its Origin header, when the browser sends one, names another host. */
export const isCrossOrigin = (request: IncomingMessage): boolean => {
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
};

/**
 * Every console request that writes carries the session's CSRF token: in the form (`_csrf`), or
 * in X-CSRF-Token for the page's own script (a CSV import). Runs after AuthGuard, which derived
 * the session's token.
 */
@Injectable()
export class ConsoleCsrfGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.method === 'GET' || request.method === 'HEAD') return true;
    const header = request.headers['x-csrf-token'];
    const sent =
      typeof header === 'string'
        ? header
        : /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')
          ? (await readForm(request)).get('_csrf')
          : null;
    if (isCrossOrigin(request) || !sameToken(sent, request.csrfToken)) {
      throw new ForbiddenException('this form is out of date or was sent from another site; reload the page and try again');
    }
    return true;
  }
}
