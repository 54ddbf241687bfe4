import { Body, Controller, Delete, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import { renderStatement } from '../database/sql-statement';
import { RecordError } from '../records/record.error';
import { CustomMetadataService, CustomMetadataResult } from '../custom-metadata/custom-metadata.service';
import { ServerDirectory } from '../server-directory';
import { Allow } from './auth.guard';
import { CreateFieldBody, CreateObjectBody, UpdateFieldBody, UpdateObjectBody } from './http.dto';
import { CustomFieldInput } from '../custom-metadata/custom-metadata.input';

/** The actions applied; for a dry run, the actions that would be, with their SQL. */
const planBody = ({ plan }: CustomMetadataResult, dryRun = false) => ({
  actions: plan.actions.map(({ kind, object, field, hazard, summary, statements }) => ({
    kind,
    object,
    field,
    hazard,
    summary,
    ...(dryRun ? { sql: statements.map((statement) => `${renderStatement(statement)};`).join('\n') } : {}),
  })),
  ...(dryRun ? { dryRun: true } : {}),
});

export const parseFlag = (name: string, value: string | undefined): boolean => {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new RecordError('INVALID', name, `${name} must be true or false`);
};

/**
 * Custom objects and fields: each change is planned and applied like a sync, in one transaction.
 * Objects are named by nameSingular or namePlural, as records are.
 */
@ApiTags('metadata')
@ApiBearerAuth()
@Allow('workspace')
@Controller('workspaces/:workspaceId/objects')
export class MetadataController {
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {}

  /** The custom metadata of the workspace's server. */
  private metadataOf<T>(workspaceId: string, work: (metadata: CustomMetadataService) => Promise<T>): Promise<T> {
    return this.servers.onServerOf(workspaceId, (server) => work(server.get(CustomMetadataService)));
  }

  @Post()
  @ApiQuery({ name: 'dryRun', required: false, description: 'true: return the plan and write nothing' })
  @ApiOperation({ summary: 'Create a custom object: table, shared fields, default view, relations from target objects' })
  async createObject(@Param('workspaceId') workspaceId: string, @Body() body: CreateObjectBody, @Query('dryRun') dryRun?: string) {
    const isDryRun = parseFlag('dryRun', dryRun);
    return planBody(
      await this.metadataOf(workspaceId, (metadata) => metadata.createObject(workspaceId, body, { dryRun: isDryRun })),
      isDryRun,
    );
  }

  @Patch(':objectName')
  @ApiOperation({ summary: 'Rename, relabel, activate or deactivate an object' })
  async updateObject(@Param('workspaceId') workspaceId: string, @Param('objectName') objectName: string, @Body() body: UpdateObjectBody) {
    return planBody(await this.metadataOf(workspaceId, (metadata) => metadata.updateObject(workspaceId, objectName, body)));
  }

  @Delete(':objectName')
  @HttpCode(200)
  @ApiQuery({ name: 'force', required: false, description: 'true: delete even though the object holds records (they are dropped)' })
  @ApiQuery({ name: 'dryRun', required: false, description: 'true: return the plan and write nothing' })
  @ApiOperation({ summary: 'Delete a custom object; refused (409) while it holds records unless force=true' })
  async deleteObject(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Query('force') force?: string,
    @Query('dryRun') dryRun?: string,
  ) {
    const isDryRun = parseFlag('dryRun', dryRun);
    const isForced = parseFlag('force', force);
    return planBody(
      await this.metadataOf(workspaceId, (metadata) =>
        metadata.deleteObject(workspaceId, objectName, { force: isForced, dryRun: isDryRun }),
      ),
      isDryRun,
    );
  }

  @Post(':objectName/fields')
  @ApiOperation({ summary: 'Create a custom field (legacy types EMAIL, LINK, PHONE only on workspaces at 0.22)' })
  async createField(@Param('workspaceId') workspaceId: string, @Param('objectName') objectName: string, @Body() body: CreateFieldBody) {
    return planBody(
      await this.metadataOf(workspaceId, (metadata) => metadata.createField(workspaceId, objectName, body as CustomFieldInput)),
    );
  }

  @Patch(':objectName/fields/:fieldName')
  @ApiOperation({ summary: 'Rename, relabel, activate or deactivate a field' })
  async updateField(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Param('fieldName') fieldName: string,
    @Body() body: UpdateFieldBody,
  ) {
    return planBody(await this.metadataOf(workspaceId, (metadata) => metadata.updateField(workspaceId, objectName, fieldName, body)));
  }

  @Delete(':objectName/fields/:fieldName')
  @HttpCode(200)
  @ApiQuery({ name: 'force', required: false, description: 'true: delete even though the field holds values (they are dropped)' })
  @ApiOperation({ summary: 'Delete a custom field; refused (409) while it holds values unless force=true' })
  async deleteField(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Param('fieldName') fieldName: string,
    @Query('force') force?: string,
  ) {
    const isForced = parseFlag('force', force);
    return planBody(
      await this.metadataOf(workspaceId, (metadata) => metadata.deleteField(workspaceId, objectName, fieldName, { force: isForced })),
    );
  }
}
