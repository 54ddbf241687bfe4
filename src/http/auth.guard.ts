import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  NotFoundException,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';

import { ApiKeyService, Principal } from '../auth/api-key.service';
import { csrfTokenFor, readCookie, SESSION_COOKIE } from './console/console-session';

export type Access = 'admin' | 'workspace' | 'admin-or-workspace' | 'public';

const ACCESS_KEY = 'wms:access';
const SESSION_KEY = 'wms:session';

/** Who may call an endpoint: the admin token, a key of the workspace in the path, either, or anyone (the operators' probes). */
export const Allow = (access: Access) => SetMetadata(ACCESS_KEY, access);

/** The console's pages: the key is the one the browser signed in with (its session cookie), not a bearer token. */
export const FromSession = () => SetMetadata(SESSION_KEY, true);

export interface AuthenticatedRequest extends Request {
  principal: Principal;
  /** Console pages: the CSRF token of the session, which every form that writes must send back. */
  csrfToken?: string;
}

const bearerToken = (header: string | undefined): string | null => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : null;
};

/**
 * Runs before every endpoint: no token, an unknown or a revoked one is a 401 before anything is
 * read or written. A workspace key reaches only its own workspace: any other is a 404, as if it
 * did not exist.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const access =
      this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ?? 'workspace';
    if (access === 'public') return true;
    const fromSession = this.reflector.getAllAndOverride<boolean | undefined>(SESSION_KEY, [context.getHandler(), context.getClass()]);
    const token = fromSession ? readCookie(request.headers.cookie, SESSION_COOKIE) : bearerToken(request.headers.authorization);
    const principal = await this.apiKeys.authenticate(token);
    if (!principal) {
      throw new UnauthorizedException(
        fromSession
          ? 'sign in with the admin token or a workspace API key at /console/sign-in'
          : 'a valid bearer token is required: "Authorization: Bearer <key>" with the admin token or a workspace API key',
      );
    }
    if (fromSession) request.csrfToken = csrfTokenFor(token!);
    const workspaceId = typeof request.params.workspaceId === 'string' ? request.params.workspaceId : undefined;
    if (principal.kind === 'workspace') {
      if (access === 'admin') throw new ForbiddenException('this endpoint needs the admin token (ADMIN_API_KEY)');
      if (workspaceId !== undefined && workspaceId.toLowerCase() !== principal.workspaceId) {
        throw new NotFoundException(`workspace ${workspaceId.slice(0, 80)} does not exist`);
      }
    } else if (access === 'workspace') {
      throw new ForbiddenException(
        'this endpoint needs an API key of the workspace; create one with POST /workspaces/{workspaceId}/api-keys',
      );
    }
    request.principal = principal;
    return true;
  }
}
