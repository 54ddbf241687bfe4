import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';

import { ApiKeyService, Principal } from '../auth/api-key.service';
import { ServerDirectory, ServerDirectoryError } from '../server-directory';
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
 * Who a token stands for, asked of the server that holds the workspace named in the path (its keys
 * are there), else of each server in turn, main first (the admin token is known without asking).
 * A key found on no answering server while one does not answer cannot be told from an unknown
 * one: that server is named (503) rather than the key refused.
 */
export const authenticateOnServers = async (
  servers: ServerDirectory,
  token: string | null,
  workspaceId?: string,
): Promise<Principal | null> => {
  if (!token) return null;
  if (workspaceId !== undefined) {
    const principal = await servers.onServerOf(workspaceId, (server) => server.get(ApiKeyService).authenticate(token));
    // A key of a workspace on another server: found there, so that it gets the 404 of another workspace's path.
    if (principal || !servers.several) return principal;
  }
  const silent: string[] = [];
  for (const server of await servers.all()) {
    try {
      const principal = await servers.answering(server, async () => {
        await servers.connect(server);
        return server.get(ApiKeyService).authenticate(token);
      });
      if (principal?.kind === 'workspace') servers.remember(principal.workspaceId, server.name);
      if (principal) return principal;
    } catch (error) {
      if (!(error instanceof ServerDirectoryError)) throw error;
      silent.push(error.message);
    }
  }
  if (silent.length > 0)
    throw new ServerDirectoryError('UNREACHABLE', `the key was not found on the servers that answer; ${silent.join(' ')}`);
  return null;
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
    @Inject(ServerDirectory) private readonly servers: ServerDirectory,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const access =
      this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ?? 'workspace';
    if (access === 'public') return true;
    const fromSession = this.reflector.getAllAndOverride<boolean | undefined>(SESSION_KEY, [context.getHandler(), context.getClass()]);
    const token = fromSession ? readCookie(request.headers.cookie, SESSION_COOKIE) : bearerToken(request.headers.authorization);
    const workspaceId = typeof request.params.workspaceId === 'string' ? request.params.workspaceId : undefined;
    const principal = await authenticateOnServers(this.servers, token, workspaceId);
    if (!principal) {
      throw new UnauthorizedException(
        fromSession
          ? 'sign in with the admin token or a workspace API key at /console/sign-in'
          : 'a valid bearer token is required: "Authorization: Bearer <key>" with the admin token or a workspace API key',
      );
    }
    if (fromSession) request.csrfToken = csrfTokenFor(token!);
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
