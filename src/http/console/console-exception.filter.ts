import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { Response } from 'express';

import { AuthenticatedRequest } from '../auth.guard';
import { toErrorBody } from '../http-exception.filter';
import { FormTooLargeError } from './console-session';
import { errorPage } from './console.pages';
import { html } from './console.html';
import { CONSOLE_HEADERS, redirectTo, sendHtml, wantsFragment } from './console-response';

/**
 * The console's errors as pages: the API's statuses and messages (the same translation of the
 * domain errors), shown as HTML; no session, or one no longer valid, goes to the sign-in page.
 */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Console');

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    const body = error instanceof FormTooLargeError ? { statusCode: 413, message: `${error.message}; send less` } : toErrorBody(error);
    if (body.statusCode >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (response.headersSent) {
      response.destroy(error instanceof Error ? error : undefined);
      return;
    }
    const fragment = wantsFragment(request.headers);
    if (body.statusCode === 401 && !fragment) {
      redirectTo(response, '/console/sign-in');
      return;
    }
    if (fragment) {
      response
        .status(body.statusCode)
        .set(CONSOLE_HEADERS)
        .type('html')
        .send(html`<p class="error" role="alert" data-testid="error" data-status="${body.statusCode}">${body.message}</p>`.text);
      return;
    }
    const session = request.principal && request.csrfToken ? { principal: request.principal, csrfToken: request.csrfToken } : null;
    sendHtml(response, body.statusCode, errorPage(session, body.statusCode, body.message));
  }
}
