import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';

import { RecordCsvService } from '../records/record-csv.service';
import { RecordError } from '../records/record.error';
import { RecordService } from '../records/record.service';
import { ServerDirectory } from '../server-directory';
import { Allow } from './auth.guard';
import { parseFlag } from './metadata.controller';

const wholeNumber = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new RecordError('INVALID', name, `${name} must be a whole number`);
  return Number(value);
};

/** `response` made ready to send an object's records as a CSV file named after it. */
export const csvAttachment = (response: Response, namePlural: string, headers: Record<string, string> = {}): Response => {
  response.status(200);
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${namePlural}.csv"`);
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  return response;
};
/** formulaEscape: true unless the caller says false. */
const formulaEscapeOf = (value: string | undefined): boolean => value === undefined || parseFlag('formulaEscape', value);

const FORMULA_ESCAPE_QUERY = {
  name: 'formulaEscape',
  required: false,
  description: "default true: text starting with =, +, -, @, tab or CR is written (and read back) with a leading '; false: as it is",
};

/** Records of any object: composite fields as nested JSON, lists through views, CSV both ways. */
@ApiTags('records')
@ApiBearerAuth()
@Allow('workspace')
@Controller('workspaces/:workspaceId/objects/:objectName/records')
export class RecordsController {
  constructor(@Inject(ServerDirectory) private readonly servers: ServerDirectory) {}

  /** The records of the workspace's server. */
  private recordsOf<T>(workspaceId: string, work: (records: RecordService) => Promise<T>): Promise<T> {
    return this.servers.onServerOf(workspaceId, (server) => work(server.get(RecordService)));
  }

  /** The CSV service of the workspace's server. */
  private csvOf<T>(workspaceId: string, work: (csv: RecordCsvService) => Promise<T>): Promise<T> {
    return this.servers.onServerOf(workspaceId, (server) => work(server.get(RecordCsvService)));
  }

  @Get()
  @ApiQuery({ name: 'limit', required: false, description: '1 to 200, default 50' })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'viewId', required: false, description: "list through this view's filters and sorts" })
  @ApiQuery({
    name: 'search',
    required: false,
    description:
      'only records whose search field holds words starting with each word given, best match first (objects with a search field)',
  })
  @ApiOperation({ summary: 'List records, a page at a time' })
  async list(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Query('limit') limit?: string,
    @Query('offset') offset?: string,
    @Query('viewId') viewId?: string,
    @Query('search') search?: string,
  ) {
    const page = { limit: wholeNumber('limit', limit), offset: wholeNumber('offset', offset), viewId, search };
    return this.recordsOf(workspaceId, (records) => records.list(workspaceId, objectName, page));
  }

  @Get('export')
  @ApiProduces('text/csv')
  @ApiQuery(FORMULA_ESCAPE_QUERY)
  @ApiOperation({ summary: 'Export every record as CSV, streamed: one column per composite subfield ("Emails / Primary Email")' })
  async export(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Res() response: Response,
    @Query('formulaEscape') formulaEscape?: string,
  ): Promise<void> {
    const escape = formulaEscapeOf(formulaEscape);
    await this.csvOf(workspaceId, (csv) =>
      csv.export(workspaceId, objectName, (context) => csvAttachment(response, context.object.namePlural), { formulaEscape: escape }),
    );
  }

  @Post('import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: { type: 'string', example: 'Name / First Name,Name / Last Name,Emails / Primary Email\nAda,Lovelace,ada@example.com\n' },
  })
  @ApiQuery({
    name: 'skipInvalid',
    required: false,
    description: 'true: import the good rows and report the bad ones; default: any bad row imports nothing',
  })
  @ApiQuery(FORMULA_ESCAPE_QUERY)
  @ApiOperation({
    summary:
      'Import records from CSV (headers as the export writes them; files of older versions are mapped); the charset of Content-Type is honoured (default utf-8)',
  })
  async import(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Req() request: Request,
    @Query('skipInvalid') skipInvalid?: string,
    @Query('formulaEscape') formulaEscape?: string,
  ) {
    const skip = parseFlag('skipInvalid', skipInvalid);
    const escape = formulaEscapeOf(formulaEscape);
    const contentType = request.headers['content-type'] ?? '';
    if (!/^text\/(csv|plain)\b/i.test(contentType)) {
      throw new RecordError('INVALID', 'Content-Type', 'send the CSV file as the request body with Content-Type: text/csv');
    }
    const charset = /;\s*charset="?([^";\s]+)"?/i.exec(contentType)?.[1];
    return this.csvOf(workspaceId, (csv) =>
      csv.import(workspaceId, objectName, request, { skipInvalid: skip, formulaEscape: escape, charset }),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'One record' })
  async get(@Param('workspaceId') workspaceId: string, @Param('objectName') objectName: string, @Param('id') id: string) {
    return this.recordsOf(workspaceId, (records) => records.get(workspaceId, objectName, id));
  }

  @Post()
  @ApiBody({
    schema: {
      type: 'object',
      example: { name: { firstName: 'Ada', lastName: 'Lovelace' }, emails: { primaryEmail: 'ada@example.com', additionalEmails: [] } },
    },
  })
  @ApiOperation({ summary: 'Create a record; composite fields as objects of their subfields' })
  async create(@Param('workspaceId') workspaceId: string, @Param('objectName') objectName: string, @Body() body: unknown) {
    return this.recordsOf(workspaceId, (records) => records.create(workspaceId, objectName, body));
  }

  @Patch(':id')
  @ApiBody({ schema: { type: 'object', example: { jobTitle: 'CTO' } } })
  @ApiOperation({ summary: 'Change some fields of a record; subfields left out of a composite stay as they are' })
  async update(
    @Param('workspaceId') workspaceId: string,
    @Param('objectName') objectName: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    return this.recordsOf(workspaceId, (records) => records.update(workspaceId, objectName, id, body));
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a record' })
  async delete(@Param('workspaceId') workspaceId: string, @Param('objectName') objectName: string, @Param('id') id: string) {
    return this.recordsOf(workspaceId, (records) => records.delete(workspaceId, objectName, id));
  }
}
