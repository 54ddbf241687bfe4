import { Controller, Get, Inject, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';

import { RecordError } from '../../records/record.error';
import { ServerDirectory } from '../../server-directory';
import { FleetOverviewService, mergeOverviews, mergePages, mergeRuns } from '../../workspace/fleet-overview.service';
import { Allow, AuthenticatedRequest, FromSession } from '../auth.guard';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { sendHtml } from './console-response';
import { ConsoleSession, fleetPage, runsFragment } from './console.pages';

export const sessionOf = (request: AuthenticatedRequest): ConsoleSession => ({
  principal: request.principal,
  csrfToken: request.csrfToken!,
});

/** A page offset of the query: a whole number, 0 by default. */
export const offsetOf = (value: string | undefined): number => {
  if (value === undefined || value === '') return 0;
  if (!/^\d{1,9}$/.test(value)) throw new RecordError('INVALID', 'offset', 'offset must be a whole number, 0 or more');
  return Number(value);
};

/** The fleet, for the admin token: counts, the workspaces that need a look, runs, the list a page at a time. */
@ApiExcludeController()
@Controller('console/fleet')
@FromSession()
@Allow('admin')
@UseFilters(ConsoleExceptionFilter)
export class ConsoleFleetController {
  constructor(
    @Inject(FleetOverviewService) private readonly fleet: FleetOverviewService,
    @Inject(ServerDirectory) private readonly servers: ServerDirectory,
  ) {}

  /**
   * With several database servers, every server's overview and part of the page at once, merged;
   * a server that does not answer is shown as such, and the page shows the others.
   */
  @Get()
  async show(
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Query('search') search?: string,
    @Query('offset') offset?: string,
  ): Promise<void> {
    const text = typeof search === 'string' ? search : '';
    const from = offsetOf(offset);
    if (!this.servers.several) {
      const [overview, page] = [await this.fleet.overview(), await this.fleet.page(text, from)];
      return sendHtml(response, 200, fleetPage(sessionOf(request), overview, page, text));
    }
    const { answers, unreachable } = await this.servers.everyServer(async (server) => {
      const fleet = server.get(FleetOverviewService);
      return { overview: await fleet.overview(), page: await fleet.pagePart(text, from) };
    });
    const overview = mergeOverviews(answers.map(({ server, value }) => ({ server: server.name, part: value.overview })));
    const page = mergePages(
      answers.map(({ server, value }) => ({ server: server.name, part: value.page })),
      from,
    );
    sendHtml(response, 200, fleetPage(sessionOf(request), overview, page, text, unreachable));
  }

  /** The runs in progress, as the fleet page shows them: its script fetches this every few seconds. */
  @Get('runs')
  async runs(@Res() response: Response): Promise<void> {
    if (!this.servers.several) return sendHtml(response, 200, runsFragment(await this.fleet.running()));
    const { answers, unreachable } = await this.servers.everyServer((server) => server.get(FleetOverviewService).running());
    sendHtml(
      response,
      200,
      runsFragment(mergeRuns(answers.map(({ server, value }) => ({ server: server.name, part: value }))), unreachable),
    );
  }
}
