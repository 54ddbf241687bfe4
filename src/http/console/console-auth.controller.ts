import { Controller, Get, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';

import { ServerDirectory } from '../../server-directory';
import { Allow, authenticateOnServers } from '../auth.guard';
import { CONSOLE_CSS, CONSOLE_JS } from './console-assets';
import { isCrossOrigin } from './console-csrf.guard';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { redirectTo, sendHtml } from './console-response';
import {
  cookieHeader,
  csrfTokenFor,
  newSignInToken,
  readCookie,
  readForm,
  sameToken,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
} from './console-session';
import { signInPage } from './console.pages';
import { consolePath } from './console.html';

/** The sign-in form's answer to a key that is not one: the same whatever was wrong with it. */
const WRONG_KEY = 'That key is neither the admin token nor an active workspace API key. Check it and try again.';

/**
 * Signing in and out of the console, its home and its static files. Sign-in takes the same keys as
 * the API (found on whichever database server holds them) and keeps the key in an HTTP-only,
 * SameSite=Strict cookie; every later page authenticates it again, so a revoked key is signed out
 * at its next request.
 */
@ApiExcludeController()
@Controller('console')
@Allow('public')
@UseFilters(ConsoleExceptionFilter)
export class ConsoleAuthController {
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {}

  /** The fleet for the admin, its workspace for a workspace key, else the sign-in page. */
  @Get()
  async home(@Req() request: Request, @Res() response: Response): Promise<void> {
    const principal = await authenticateOnServers(this.servers, readCookie(request.headers.cookie, SESSION_COOKIE));
    if (!principal) return redirectTo(response, '/console/sign-in');
    redirectTo(response, principal.kind === 'admin' ? '/console/fleet' : consolePath('workspaces', principal.workspaceId));
  }

  @Get('sign-in')
  signInForm(@Req() request: Request, @Res() response: Response): void {
    this.showSignIn(request, response, 200, null);
  }

  @Post('sign-in')
  async signIn(@Req() request: Request, @Res() response: Response): Promise<void> {
    const form = await readForm(request);
    if (isCrossOrigin(request) || !sameToken(form.get('_csrf'), readCookie(request.headers.cookie, SIGN_IN_COOKIE))) {
      return this.showSignIn(request, response, 403, 'The sign-in form is out of date or was sent from another site; try again.');
    }
    const key = (form.get('key') ?? '').trim();
    const principal = await authenticateOnServers(this.servers, key || null);
    if (!principal) return this.showSignIn(request, response, 401, WRONG_KEY);
    response.setHeader('Set-Cookie', [cookieHeader(request, SESSION_COOKIE, key), cookieHeader(request, SIGN_IN_COOKIE, null)]);
    redirectTo(response, principal.kind === 'admin' ? '/console/fleet' : consolePath('workspaces', principal.workspaceId));
  }

  @Post('sign-out')
  async signOut(@Req() request: Request, @Res() response: Response): Promise<void> {
    const key = readCookie(request.headers.cookie, SESSION_COOKIE);
    const form = await readForm(request);
    if (key && (isCrossOrigin(request) || !sameToken(form.get('_csrf'), csrfTokenFor(key)))) {
      return redirectTo(response, '/console');
    }
    response.setHeader('Set-Cookie', cookieHeader(request, SESSION_COOKIE, null));
    redirectTo(response, '/console/sign-in');
  }

  @Get('assets/console.css')
  stylesheet(@Res() response: Response): void {
    response.status(200).type('text/css').set('Cache-Control', 'public, max-age=300').send(CONSOLE_CSS);
  }

  @Get('assets/console.js')
  script(@Res() response: Response): void {
    response.status(200).type('text/javascript').set('Cache-Control', 'public, max-age=300').send(CONSOLE_JS);
  }

  /** The form, with a token of its own in a cookie and in the form: a page of another site cannot send it. */
  private showSignIn(request: Request, response: Response, status: number, error: string | null): void {
    const token = newSignInToken();
    response.setHeader('Set-Cookie', cookieHeader(request, SIGN_IN_COOKIE, token));
    sendHtml(response, status, signInPage(token, error));
  }
}
