import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiKeyService } from '../auth/api-key.service';
import { WorkspaceCreationService } from '../workspace/workspace-creation.service';
import { CustomMetadataService } from '../custom-metadata/custom-metadata.service';
import { Allow } from './auth.guard';
import { CreateApiKeyBody, CreateWorkspaceBody } from './http.dto';

@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('workspaces')
export class WorkspacesController {
  constructor(
    @Inject(WorkspaceCreationService) private readonly creation: WorkspaceCreationService,
    @Inject(CustomMetadataService) private readonly metadata: CustomMetadataService,
    @Inject(ApiKeyService) private readonly apiKeys: ApiKeyService,
  ) {}

  @Post()
  @Allow('admin')
  @ApiOperation({ summary: 'Create a workspace (the creation hook, as workspace:create): all or nothing' })
  async create(@Body() body: CreateWorkspaceBody) {
    const created = await this.creation.create({
      displayName: body.displayName,
      version: body.version ?? undefined,
      featureFlags: body.featureFlags ?? undefined,
      prefill: body.prefill ?? undefined,
      defaultCountry: body.defaultCountry ?? undefined,
    });
    return { workspace: created.workspace, actions: created.plan.actions.length, views: created.views, records: created.records };
  }

  @Get(':workspaceId')
  @Allow('admin-or-workspace')
  @ApiOperation({ summary: 'A workspace, with its objects and their fields' })
  async get(@Param('workspaceId') workspaceId: string) {
    const described = await this.metadata.describe(workspaceId);
    if (!described) throw new NotFoundException(`workspace ${workspaceId.slice(0, 80)} does not exist`);
    return described;
  }

  @Post(':workspaceId/api-keys')
  @Allow('admin')
  @ApiOperation({ summary: 'Create an API key of the workspace; the key is shown in this answer only' })
  async createKey(@Param('workspaceId') workspaceId: string, @Body() input: CreateApiKeyBody) {
    const created = await this.apiKeys.create(workspaceId, input.name);
    return { id: created.id, name: created.name, key: created.key, createdAt: created.createdAt };
  }

  @Get(':workspaceId/api-keys')
  @Allow('admin')
  @ApiOperation({ summary: 'The API keys of the workspace (never the keys themselves)' })
  async listKeys(@Param('workspaceId') workspaceId: string) {
    return { apiKeys: await this.apiKeys.list(workspaceId) };
  }

  @Delete(':workspaceId/api-keys/:apiKeyId')
  @Allow('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key: it is refused from the next request on' })
  async revokeKey(@Param('workspaceId') workspaceId: string, @Param('apiKeyId') apiKeyId: string) {
    return this.apiKeys.revoke(workspaceId, apiKeyId);
  }
}
