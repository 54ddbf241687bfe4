import { Controller, Get, Inject, NotFoundException, Param, Post, Query, Req, Res, Type, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';

import { CsvImportError, RecordCsvService } from '../../records/record-csv.service';
import { RecordError } from '../../records/record.error';
import { TableViewService } from '../../records/table-view.service';
import { ServerDirectory } from '../../server-directory';
import { WorkspaceOverviewService } from '../../workspace/workspace-overview.service';
import { Allow, AuthenticatedRequest, FromSession } from '../auth.guard';
import { toErrorBody } from '../http-exception.filter';
import { csvAttachment } from '../records.controller';
import { ConsoleCsrfGuard } from './console-csrf.guard';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { offsetOf, sessionOf } from './console-fleet.controller';
import { redirectTo, sendHtml } from './console-response';
import { readForm } from './console-session';
import { importReport, importResultReport, tablePage, workspacePage } from './console.pages';
import { consolePath, withQuery } from './console.html';

/** Records a table view shows at once. */
export const TABLE_PAGE_SIZE = 50;

/**
 * One workspace: its page for the admin token or a key of it, and the table views of its objects
 * for a key of it (records are a workspace key's, as in the API). A key of another workspace gets
 * a 404, as the API answers it.
 */
@ApiExcludeController()
@Controller('console/workspaces/:workspaceId')
@FromSession()
@UseFilters(ConsoleExceptionFilter)
@UseGuards(ConsoleCsrfGuard)
export class ConsoleWorkspaceController {
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {}

  /** A service of the server that holds the workspace. */
  private on<S, T>(workspaceId: string, service: Type<S>, work: (service: S) => Promise<T>): Promise<T> {
    return this.servers.onServerOf(workspaceId, (server) => work(server.get(service)));
  }

  @Get()
  @Allow('admin-or-workspace')
  async show(@Param('workspaceId') workspaceId: string, @Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    const data = await this.on(workspaceId, WorkspaceOverviewService, async (overview) => {
      const workspace = await overview.find(workspaceId);
      if (!workspace) throw new NotFoundException(`workspace ${workspaceId.slice(0, 80)} does not exist`);
      return {
        workspace,
        outcomes: await overview.outcomesOf(workspace.id),
        preview: await overview.planPreview(workspace),
        health: await overview.health(workspace),
        ledger: await overview.ledgerOf(workspace.id),
        objects: await overview.objects(workspace.id),
      };
    });
    sendHtml(response, 200, workspacePage(sessionOf(request), data));
  }

  @Get('objects/:objectName')
  @Allow('workspace')
  async table(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Query('viewId') viewId?: string,
    @Query('offset') offset?: string,
  ): Promise<void> {
    await this.showTable(request, response, workspaceId, objectName, viewId, offsetOf(offset), null);
  }

  @Post('objects/:objectName/filters')
  @Allow('workspace')
  async addFilter(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Query('viewId') viewId?: string,
  ): Promise<void> {
    const form = await readForm(request);
    await this.write(request, response, workspaceId, objectName, viewId, (tables, view) =>
      tables.addFilter(workspaceId, objectName, view, {
        fieldMetadataId: form.get('fieldMetadataId') ?? '',
        operand: form.get('operand') ?? '',
        value: form.get('value') ?? '',
      }),
    );
  }

  @Post('objects/:objectName/filters/:filterId/delete')
  @Allow('workspace')
  async removeFilter(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Param('filterId') filterId: string,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Query('viewId') viewId?: string,
  ): Promise<void> {
    await this.write(request, response, workspaceId, objectName, viewId, (tables) => tables.removeFilter(workspaceId, filterId));
  }

  @Post('objects/:objectName/sorts')
  @Allow('workspace')
  async addSort(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Query('viewId') viewId?: string,
  ): Promise<void> {
    const form = await readForm(request);
    await this.write(request, response, workspaceId, objectName, viewId, (tables, view) =>
      tables.addSort(workspaceId, view, {
        fieldMetadataId: form.get('fieldMetadataId') ?? '',
        direction: form.get('direction') ?? '',
      }),
    );
  }

  @Post('objects/:objectName/sorts/:sortId/delete')
  @Allow('workspace')
  async removeSort(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Param('sortId') sortId: string,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Query('viewId') viewId?: string,
  ): Promise<void> {
    await this.write(request, response, workspaceId, objectName, viewId, (tables) => tables.removeSort(workspaceId, sortId));
  }

  /** The object's records as CSV: the API's export, byte for byte. */
  @Get('objects/:objectName/export.csv')
  @Allow('workspace')
  async export(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Res() response: Response,
  ): Promise<void> {
    await this.on(workspaceId, RecordCsvService, (csv) =>
      csv.export(
        workspaceId,
        objectName,
        (context) => csvAttachment(response, context.object.namePlural, { 'Cache-Control': 'no-store' }),
        { formulaEscape: true },
      ),
    );
  }

  /** A CSV file sent by the page's script as the request body (as the API takes it); the answer is the import's report. */
  @Post('objects/:objectName/import')
  @Allow('workspace')
  async import(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Query('skipInvalid') skipInvalid?: string,
  ): Promise<void> {
    const contentType = request.headers['content-type'] ?? '';
    if (!/^text\/(csv|plain)\b/i.test(contentType)) {
      throw new RecordError('INVALID', 'Content-Type', 'send the CSV file as the request body with Content-Type: text/csv');
    }
    const charset = /;\s*charset="?([^";\s]+)"?/i.exec(contentType)?.[1];
    try {
      const result = await this.on(workspaceId, RecordCsvService, (csv) =>
        csv.import(workspaceId, objectName, request, { skipInvalid: skipInvalid === 'true', formulaEscape: true, charset }),
      );
      sendHtml(response, 200, importResultReport(result));
    } catch (error) {
      if (!(error instanceof CsvImportError)) throw error;
      sendHtml(
        response,
        400,
        importReport({ imported: 0, skipped: error.total, errors: error.errors, refused: true, message: error.message }),
      );
    }
  }

  /** A change of the view, then its page again; a change refused shows the page with why. */
  private async write(
    request: AuthenticatedRequest,
    response: Response,
    workspaceId: string,
    objectName: string,
    viewId: string | undefined,
    change: (tables: TableViewService, viewId: string) => Promise<void>,
  ): Promise<void> {
    try {
      if (!viewId) throw new RecordError('INVALID', 'viewId', 'choose a view of the object first; filters and sorts belong to a view');
      await this.on(workspaceId, TableViewService, (tables) => change(tables, viewId));
    } catch (error) {
      const body = toErrorBody(error);
      if (!(error instanceof RecordError) || body.statusCode >= 500) throw error;
      return this.showTable(request, response, workspaceId, objectName, viewId, 0, body.message, body.statusCode);
    }
    redirectTo(response, withQuery(consolePath('workspaces', workspaceId, 'objects', objectName), { viewId }));
  }

  private async showTable(
    request: AuthenticatedRequest,
    response: Response,
    workspaceId: string,
    objectName: string,
    viewId: string | undefined,
    offset: number,
    error: string | null,
    status = 200,
  ): Promise<void> {
    const table = await this.on(workspaceId, TableViewService, (tables) =>
      tables.show(workspaceId, objectName, { viewId: viewId || undefined, limit: TABLE_PAGE_SIZE, offset }),
    );
    sendHtml(response, status, tablePage(sessionOf(request), workspaceId, table, error));
  }
}
