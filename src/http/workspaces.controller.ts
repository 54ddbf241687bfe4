import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiKeyService } from '../auth/api-key.service';
import { RecordError } from '../records/record.error';
import { snapshotVersions } from '../standard-objects/version-snapshots';
import { MAX_DISPLAY_NAME_LENGTH, WorkspaceCreationService } from '../workspace/workspace-creation.service';
import { CustomMetadataService } from '../custom-metadata/custom-metadata.service';
import { Allow } from './auth.guard';
import { CreateApiKeyBody, CreateWorkspaceBody } from './http.dto';

const objectBody = (body: unknown): Record<string, unknown> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RecordError('INVALID', 'body', 'the request body must be a JSON object (Content-Type: application/json)');
  }
  return body as Record<string, unknown>;
};

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
  async create(@Body() input: CreateWorkspaceBody) {
    const body = objectBody(input);
    if (typeof body.displayName !== 'string' || body.displayName.trim().length === 0 || body.displayName.length > MAX_DISPLAY_NAME_LENGTH) {
      throw new RecordError('INVALID', 'displayName', `displayName is required: 1 to ${MAX_DISPLAY_NAME_LENGTH} characters`);
    }
    if (body.version !== undefined && (typeof body.version !== 'string' || !snapshotVersions().includes(body.version))) {
      throw new RecordError('INVALID', 'version', `version must be one of ${snapshotVersions().join(', ')}`);
    }
    if (
      body.featureFlags !== undefined &&
      !(
        Array.isArray(body.featureFlags) &&
        body.featureFlags.every((flag) => typeof flag === 'string' && /^[A-Za-z0-9_]{1,100}$/.test(flag))
      )
    ) {
      throw new RecordError('INVALID', 'featureFlags', 'featureFlags must be a list of flag names (letters, digits, _)');
    }
    if (body.prefill !== undefined && typeof body.prefill !== 'boolean')
      throw new RecordError('INVALID', 'prefill', 'prefill must be true or false');
    const created = await this.creation.create({
      displayName: body.displayName,
      version: body.version as string | undefined,
      featureFlags: body.featureFlags as string[] | undefined,
      prefill: body.prefill as boolean | undefined,
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
    const created = await this.apiKeys.create(workspaceId, objectBody(input).name);
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
