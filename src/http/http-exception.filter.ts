import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Response } from 'express';

import { ApiKeyError } from '../auth/api-key.service';
import { CsvImportError } from '../records/record-csv.service';
import { RecordError } from '../records/record.error';
import { ServerDirectoryError } from '../server-directory';
import { SyncError } from '../sync/sync.error';
import { WorkspaceCreationError } from '../workspace/workspace-creation.service';
import { CustomMetadataError } from '../custom-metadata/custom-metadata.error';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** The input property at fault. */
  field?: string;
  /** Every bad row of a refused import. */
  errors?: unknown[];
}

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A server name not in the directory is bad input; a workspace on two servers a conflict; a server that does not answer, unavailable. */
const SERVER_DIRECTORY_STATUS: Record<ServerDirectoryError['code'], number> = {
  UNKNOWN_SERVER: 400,
  ON_SEVERAL_SERVERS: 409,
  UNREACHABLE: 503,
};

/** An error of Express's body parser (too large, malformed, an unknown charset): it carries its status. */
interface BodyParserError extends Error {
  status: number;
  type: string;
  limit?: number;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  error instanceof Error &&
  typeof (error as Partial<BodyParserError>).status === 'number' &&
  typeof (error as Partial<BodyParserError>).type === 'string';

const bodyParserMessage = (error: BodyParserError): string => {
  if (error.type === 'entity.too.large') {
    return `the request body is larger than the limit of ${error.limit ?? 'the server'} bytes; send less per request (CSV import takes files of any size)`;
  }
  return `the request body cannot be read: ${error.message}`;
};

/** Turns the domain errors into HTTP answers; the domain code knows nothing of HTTP. */
export const toErrorBody = (error: unknown): ErrorBody => {
  const body = (statusCode: number, message: string, field?: string): ErrorBody => ({
    statusCode,
    error: STATUS_NAMES[statusCode] ?? 'Error',
    message,
    ...(field ? { field } : {}),
  });
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const { message, field } =
      typeof response === 'string' ? { message: response, field: undefined } : (response as { message?: unknown; field?: string });
    return body(error.getStatus(), Array.isArray(message) ? message.join('; ') : String(message ?? error.message), field);
  }
  if (isBodyParserError(error) && error.status >= 400 && error.status < 500) return body(error.status, bodyParserMessage(error), 'body');
  if (error instanceof CsvImportError) return { ...body(400, error.message, error.property), errors: error.errors };
  if (error instanceof RecordError)
    return body(error.code === 'NOT_FOUND' ? 404 : error.code === 'CONFLICT' ? 409 : 400, error.message, error.property);
  if (error instanceof CustomMetadataError)
    return body(error.code === 'NOT_FOUND' ? 404 : error.code === 'CONFLICT' ? 409 : 400, error.message, error.property);
  if (error instanceof ApiKeyError) return body(error.code === 'NOT_FOUND' ? 404 : 400, error.message, error.property);
  if (error instanceof WorkspaceCreationError) return body(400, error.message, error.property);
  if (error instanceof ServerDirectoryError) {
    return body(SERVER_DIRECTORY_STATUS[error.code], error.message, error.code === 'UNKNOWN_SERVER' ? 'server' : undefined);
  }
  // A statement the database refused: the transaction rolled back, so nothing was written.
  if (error instanceof SyncError) return body(500, `${error.message}; nothing was written`);
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'internal error; nothing was written by the failed request');
};

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(error);
    if (body.statusCode >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (response.headersSent) {
      // A streamed answer already started: all that is left is to cut it short.
      response.destroy(error instanceof Error ? error : undefined);
      return;
    }
    response.status(body.statusCode).json(body);
  }
}
