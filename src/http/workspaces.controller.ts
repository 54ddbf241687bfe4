import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Logger } from 'pino';

import { ApiKeyService } from '../auth/api-key.service';
import { CustomMetadataService } from '../custom-metadata/custom-metadata.service';
import { UUID_PATTERN } from '../declarations/identifier.rules';
import { WorkspaceRepository } from '../metadata/workspace.repository';
import { LOGGER } from '../observability/logger';
import { RecordError } from '../records/record.error';
import { ServerDirectory } from '../server-directory';
import { WorkspaceCreationService } from '../workspace/workspace-creation.service';
import { Allow } from './auth.guard';
import { CreateApiKeyBody, CreateWorkspaceBody } from './http.dto';

/** Workspaces a list answers at once, by default and at most. */
const LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 500;

const listLimitOf = (value: string | undefined): number => {
  if (value === undefined) return LIST_LIMIT;
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > MAX_LIST_LIMIT) {
    throw new RecordError('INVALID', 'limit', `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
  }
  return Number(value);
};

@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('workspaces')
export class WorkspacesController {
  constructor(
    @Inject(ServerDirectory) private readonly servers: ServerDirectory,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post()
  @Allow('admin')
  @ApiOperation({
    summary:
      'Create a workspace (the creation hook, as workspace:create): all or nothing; on the server named, else on the one with the fewest workspaces',
  })
  async create(@Body() body: CreateWorkspaceBody) {
    const server = await this.servers.place(body.server, 'server', (line) => this.logger.warn(line));
    const created = await this.servers.answering(server, async () => {
      await this.servers.connect(server);
      return server.get(WorkspaceCreationService).create({
        displayName: body.displayName,
        version: body.version ?? undefined,
        featureFlags: body.featureFlags ?? undefined,
        prefill: body.prefill ?? undefined,
        defaultCountry: body.defaultCountry ?? undefined,
      });
    });
    this.servers.remember(created.workspace.id, server.name);
    return {
      workspace: created.workspace,
      actions: created.plan.actions.length,
      views: created.views,
      records: created.records,
      ...(this.servers.several ? { server: server.name } : {}),
    };
  }

  /**
   * Every server's workspaces in id order, a page at a time (`after`: the last id of the page
   * before). With several servers each says its server, and a server that does not answer is
   * listed in `unreachable` while the others' workspaces are listed.
   */
  @Get()
  @Allow('admin')
  @ApiQuery({ name: 'limit', required: false, description: `1 to ${MAX_LIST_LIMIT}, default ${LIST_LIMIT}` })
  @ApiQuery({ name: 'after', required: false, description: 'the id of the last workspace of the page before (the `next` of its answer)' })
  @ApiOperation({
    summary:
      'List workspaces in id order, on every database server (each with its `server`; `unreachable`: the servers that did not answer)',
  })
  async list(@Query('limit') limit?: string, @Query('after') after?: string) {
    const size = listLimitOf(limit);
    if (after !== undefined && !UUID_PATTERN.test(after)) {
      throw new RecordError('INVALID', 'after', 'after must be the id of a workspace (the next of the page before)');
    }
    const { answers, unreachable } = await this.servers.everyServer(async (server) =>
      (await server.get(WorkspaceRepository).page(after?.toLowerCase() ?? null, size + 1)).map(({ fingerprint: _fingerprint, ...row }) =>
        this.servers.several ? { ...row, server: server.name } : row,
      ),
    );
    const rows = answers.flatMap(({ value }) => value).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const workspaces = rows.slice(0, size);
    return {
      workspaces,
      next: rows.length > size ? workspaces[workspaces.length - 1].id : null,
      ...(this.servers.several ? { unreachable } : {}),
    };
  }

  @Get(':workspaceId')
  @Allow('admin-or-workspace')
  @ApiOperation({ summary: 'A workspace, with its objects and their fields' })
  async get(@Param('workspaceId') workspaceId: string) {
    const described = await this.servers.onServerOf(workspaceId, (server) => server.get(CustomMetadataService).describe(workspaceId));
    if (!described) throw new NotFoundException(`workspace ${workspaceId.slice(0, 80)} does not exist`);
    return described;
  }

  @Post(':workspaceId/api-keys')
  @Allow('admin')
  @ApiOperation({ summary: 'Create an API key of the workspace; the key is shown in this answer only' })
  async createKey(@Param('workspaceId') workspaceId: string, @Body() input: CreateApiKeyBody) {
    const created = await this.servers.onServerOf(workspaceId, (server) => server.get(ApiKeyService).create(workspaceId, input.name));
    return { id: created.id, name: created.name, key: created.key, createdAt: created.createdAt };
  }

  @Get(':workspaceId/api-keys')
  @Allow('admin')
  @ApiOperation({ summary: 'The API keys of the workspace (never the keys themselves)' })
  async listKeys(@Param('workspaceId') workspaceId: string) {
    return { apiKeys: await this.servers.onServerOf(workspaceId, (server) => server.get(ApiKeyService).list(workspaceId)) };
  }

  @Delete(':workspaceId/api-keys/:apiKeyId')
  @Allow('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key: it is refused from the next request on' })
  async revokeKey(@Param('workspaceId') workspaceId: string, @Param('apiKeyId') apiKeyId: string) {
    return this.servers.onServerOf(workspaceId, (server) => server.get(ApiKeyService).revoke(workspaceId, apiKeyId));
  }
}
