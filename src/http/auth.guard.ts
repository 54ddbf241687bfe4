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

export type Access = 'admin' | 'workspace' | 'admin-or-workspace' | 'public';

const ACCESS_KEY = 'wms:access';

/** Who may call an endpoint: the admin token, a key of the workspace in the path, either, or anyone (the operators' probes). */
export const Allow = (access: Access) => SetMetadata(ACCESS_KEY, access);

export interface AuthenticatedRequest extends Request {
  principal: Principal;
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
    const principal = await this.apiKeys.authenticate(bearerToken(request.headers.authorization));
    if (!principal) {
      throw new UnauthorizedException(
        'a valid bearer token is required: "Authorization: Bearer <key>" with the admin token or a workspace API key',
      );
    }
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
