import { Principal } from '../../auth/api-key.service';
import { renderStatement } from '../../database/sql-statement';
import { ActualObject } from '../../metadata/actual-state';
import { RowProblem } from '../../records/csv-import-writer';
import { ImportResult } from '../../records/record-csv.service';
import { TableView } from '../../records/table-view.service';
import { VIEW_FILTER_OPERANDS } from '../../records/view-query';
import { HealthIssue } from '../../sync/workspace-health';
import { LedgerEntry } from '../../upgrade/ledger.repository';
import { CountRow } from '../../workspace/fleet-overview.repository';
import { FleetOverview, FleetPage, RunProgress } from '../../workspace/fleet-overview.service';
import { PlanPreview, WorkspaceOutcomeSummary } from '../../workspace/workspace-overview.service';
import { WorkspaceRow } from '../../metadata/workspace.repository';
import { ServerAnswers } from '../../server-directory';
import { cellText } from './console-values';
import { consolePath, formatDuration, formatNumber, formatTime, Html, html, withQuery } from './console.html';

/** Who is signed in, and the token the forms of their pages send back. */
export interface ConsoleSession {
  principal: Principal;
  csrfToken: string;
}

const csrfField = (session: ConsoleSession) => html`<input type="hidden" name="_csrf" value="${session.csrfToken}" />`;

/** A page of the console: its stylesheet and script are served by the app itself (no network beyond it). */
export const layout = (title: string, session: ConsoleSession | null, body: Html): Html =>
  html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · workspace-metadata-sync</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer></script>
      </head>
      <body>
        <header>
          <span class="brand">workspace-metadata-sync</span>
          ${
            session
              ? html`<nav>
                  ${
                    session.principal.kind === 'admin'
                      ? html`<a href="/console/fleet">Fleet</a><span class="who" data-testid="signed-in-as">admin</span>`
                      : html`<a href="${consolePath('workspaces', session.principal.workspaceId)}">Workspace</a
                          ><span class="who" data-testid="signed-in-as">workspace key</span>`
                  }
                  <form method="post" action="/console/sign-out" class="inline">
                    ${csrfField(session)}<button type="submit">Sign out</button>
                  </form>
                </nav>`
              : ''
          }
        </header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html> `;

export const signInPage = (signInToken: string, error: string | null): Html =>
  layout(
    'Sign in',
    null,
    html`<form method="post" action="/console/sign-in" class="card sign-in">
      <input type="hidden" name="_csrf" value="${signInToken}" />
      <label for="key">Admin token or workspace API key</label>
      <input id="key" name="key" type="password" autocomplete="off" required autofocus />
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <button type="submit">Sign in</button>
      <p class="hint">The admin token (ADMIN_API_KEY) shows the whole fleet; a workspace API key shows its workspace only.</p>
    </form>`,
  );

export const errorPage = (session: ConsoleSession | null, status: number, message: string): Html =>
  layout(
    status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Error',
    session,
    html`<p class="error" role="alert" data-testid="error" data-status="${status}">${message}</p>`,
  );

const counts = (testid: string, label: string, rows: CountRow[], name: (key: string | null) => string) =>
  html`<table class="counts" data-testid="${testid}">
    <thead>
      <tr>
        <th>${label}</th>
        <th class="num">workspaces</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr data-key="${row.key ?? ''}">
            <td>${name(row.key)}</td>
            <td class="num" data-count>${formatNumber(row.count)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;

const workspaceLink = (id: string, name: string) => html`<a href="${consolePath('workspaces', id)}">${name}</a>`;

/** The servers of a fleet spread over several that did not answer; undefined with one server. */
type Unreachable = ServerAnswers<unknown>['unreachable'] | undefined;

/** The cell naming a row's server, with several servers. */
const serverCell = (several: boolean, server: string | undefined) => (several ? html`<td data-server>${server ?? ''}</td>` : '');
const serverHeader = (several: boolean) => (several ? html`<th>server</th>` : '');

const attention = (testid: string, title: string, list: FleetOverview['failed'], empty: string, several: boolean) =>
  html`<section class="card" data-testid="${testid}">
    <h2>${title} <span class="badge" data-count>${formatNumber(list.total)}</span></h2>
    ${
      list.rows.length === 0
        ? html`<p class="quiet">${empty}</p>`
        : html`<table>
              <thead>
                <tr>
                  <th>workspace</th>
                  ${serverHeader(several)}
                  <th>version</th>
                  <th>command</th>
                  <th>message</th>
                  <th>when</th>
                </tr>
              </thead>
              <tbody>
                ${list.rows.map(
                  (row) =>
                    html`<tr data-workspace-id="${row.id}">
                      <td>
                        ${workspaceLink(row.id, row.displayName)}
                        <div class="id">${row.id}</div>
                      </td>
                      ${serverCell(several, row.server)}
                      <td>${row.version ?? '–'}</td>
                      <td>${row.command ?? ''}</td>
                      <td class="message">${row.message ?? ''}</td>
                      <td>${formatTime(row.at)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            ${list.total > list.rows.length ? html`<p class="quiet">the latest ${list.rows.length} of ${formatNumber(list.total)}</p>` : ''}`
    }
  </section>`;

const runRow = (run: RunProgress, several: boolean) =>
  html`<tr data-run-id="${run.id}" data-status="${run.status}">
    <td>
      ${run.command}${run.queued ? html` <span class="badge">queue</span>` : ''}${run.dryRun ? html` <span class="badge">dry run</span>` : ''}
    </td>
    ${serverCell(several, run.server)}
    <td>${formatTime(run.startedAt)}</td>
    <td class="num">
      <progress max="${run.total ?? 0}" value="${run.done}"></progress> <span data-testid="run-done">${run.done}</span>/<span
        data-testid="run-total"
        >${run.total ?? '?'}</span
      >
    </td>
    <td class="num" data-volatile data-testid="run-rate">${run.rate === null ? '–' : `${run.rate.toFixed(run.rate < 10 ? 2 : 0)}/s`}</td>
    <td class="num" data-volatile data-testid="run-left">
      ${run.status === 'RUNNING' ? formatDuration(run.secondsLeft) : run.status.toLowerCase()}
    </td>
    <td class="num" data-testid="run-failed">${run.failed}</td>
    <td class="num">${run.skipped}</td>
    <td>
      <span data-volatile>${run.host}:${run.pid}</span
      >${run.quiet ? html` <span class="warn">no word since ${formatTime(run.updatedAt)}: its process may have stopped</span>` : ''}${run.error ? html`<div class="message">${run.error}</div>` : ''}
    </td>
  </tr>`;

const runTable = (runs: RunProgress[], empty: string, several: boolean) =>
  runs.length === 0
    ? html`<p class="quiet">${empty}</p>`
    : html`<table>
        <thead>
          <tr>
            <th>command</th>
            ${serverHeader(several)}
            <th>started</th>
            <th class="num">done/total</th>
            <th class="num">rate</th>
            <th class="num">time left</th>
            <th class="num">failed</th>
            <th class="num">skipped</th>
            <th>where</th>
          </tr>
        </thead>
        <tbody>
          ${runs.map((run) => runRow(run, several))}
        </tbody>
      </table>`;

/** The servers that did not answer, said once: their workspaces are not in the counts and lists. */
const unreachableServers = (unreachable: Unreachable) =>
  unreachable && unreachable.length > 0
    ? html`<section class="card" data-testid="servers-unreachable">
        <h2>Database servers not answering <span class="badge bad">${unreachable.length}</span></h2>
        <ul>
          ${unreachable.map(
            (silent) =>
              html`<li data-server="${silent.server}">
                <strong>${silent.server}</strong> (${silent.address}): ${silent.error} Its workspaces and runs are not counted or listed
                here until it answers.
              </li>`,
          )}
        </ul>
      </section>`
    : '';

/** The runs in progress: the part of the fleet page that the page's script reloads. */
export const runsFragment = (running: RunProgress[], unreachable?: Unreachable): Html =>
  html`<div data-testid="runs-running">
    ${runTable(running, 'No run in progress.', unreachable !== undefined)}${
      unreachable && unreachable.length > 0
        ? html`<p class="warn">Not answering: ${unreachable.map((silent) => silent.server).join(', ')}.</p>`
        : ''
    }
  </div>`;

const fleetList = (page: FleetPage, search: string, several: boolean) => {
  const from = page.total === 0 ? 0 : page.offset + 1;
  const to = page.offset + page.rows.length;
  const link = (offset: number) => withQuery('/console/fleet', { search, offset: offset || undefined });
  return html`<section class="card" data-testid="fleet-list">
    <h2>Workspaces</h2>
    <form method="get" action="/console/fleet" class="inline">
      <input type="search" name="search" value="${search}" placeholder="name or id" aria-label="search workspaces" />
      <button type="submit">Search</button>
    </form>
    <p class="quiet" data-testid="fleet-range">
      ${formatNumber(from)}–${formatNumber(to)} of <span data-testid="fleet-matches">${formatNumber(page.total)}</span>
    </p>
    <table>
      <thead>
        <tr>
          <th>name</th>
          <th>id</th>
          ${serverHeader(several)}
          <th>version</th>
          <th>last sync</th>
          <th>health</th>
          <th>status</th>
        </tr>
      </thead>
      <tbody>
        ${page.rows.map(
          (row) =>
            html`<tr data-workspace-id="${row.id}">
              <td>${workspaceLink(row.id, row.displayName)}</td>
              <td class="id">${row.id}</td>
              ${serverCell(several, row.server)}
              <td>${row.version ?? '–'}</td>
              <td>
                ${
                  row.lastSyncAt
                    ? html`<span class="${row.lastSyncOutcome === 'failed' ? 'bad' : ''}">${row.lastSyncStatus}</span> ·
                        ${formatTime(row.lastSyncAt)}
                        <div class="quiet">${row.lastSyncCommand}</div>`
                    : html`<span class="quiet">not recorded</span>`
                }
              </td>
              <td>
                ${row.healthAt ? (row.healthOutcome === 'failed' ? html`<span class="bad">${row.healthMessage ?? 'drift'}</span>` : html`<span class="good">no drift</span>`) : html`<span class="quiet">not checked</span>`}
              </td>
              <td>${row.activationStatus}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <nav class="pager">
      ${page.offset > 0 ? html`<a href="${link(Math.max(0, page.offset - page.limit))}" rel="prev">Previous</a>` : ''}
      ${to < page.total ? html`<a href="${link(page.offset + page.limit)}" rel="next">Next</a>` : ''}
    </nav>
  </section>`;
};

/** The fleet; with several database servers (`unreachable` given), each row says its server and the servers not answering are said. */
export const fleetPage = (
  session: ConsoleSession,
  overview: FleetOverview,
  page: FleetPage,
  search: string,
  unreachable?: Unreachable,
): Html =>
  layout(
    'Fleet',
    session,
    html`${unreachableServers(unreachable)}
      <section class="card" data-testid="fleet-counts">
        <h2><span data-testid="fleet-total">${formatNumber(overview.total)}</span> workspaces</h2>
        <div class="row">
          ${counts('count-by-version', 'version', overview.byVersion, (key) => key ?? 'none')}
          ${counts('count-by-status', 'status', overview.byActivation, (key) => key ?? '')}
          ${counts('count-by-sync', 'last sync', overview.bySyncOutcome, (key) => key ?? 'not recorded')}
        </div>
      </section>
      <section class="card" data-testid="runs">
        <h2>Runs in progress</h2>
        <div data-poll="/console/fleet/runs" data-poll-ms="2000">${runsFragment(overview.running, unreachable)}</div>
        <h3>Latest runs</h3>
        ${runTable(overview.finished, 'No run recorded yet.', unreachable !== undefined)}
      </section>
      ${attention('failed', 'Failed', overview.failed, 'No workspace whose last run failed.', unreachable !== undefined)}
      ${attention('drifted', 'Drifted', overview.drifted, 'No drift found by the last health reports.', unreachable !== undefined)}
      ${attention('locked', 'Locked now', overview.locked, 'No workspace locked.', unreachable !== undefined)}
      ${fleetList(page, search, unreachable !== undefined)}`,
  );

const yes = (value: boolean) => (value ? 'yes' : '');

const objectsSection = (workspaceId: string, objects: ActualObject[], canOpenRecords: boolean) =>
  html`<section class="card" data-testid="objects">
    <h2>Objects and fields</h2>
    ${canOpenRecords ? '' : html`<p class="quiet">Records are shown to a workspace API key of this workspace: sign in with one to open table views.</p>`}
    ${objects.map(
      (object) =>
        html`<details data-object="${object.nameSingular}">
          <summary>
            <strong>${object.labelPlural}</strong> <code>${object.nameSingular}</code> ·
            ${object.isCustom ? 'custom' : 'standard'}${object.isSystem ? ' · system' : ''}${object.isActive ? '' : ' · inactive'} ·
            ${object.fields.length} fields
            ${canOpenRecords && object.isActive ? html` · <a href="${consolePath('workspaces', workspaceId, 'objects', object.namePlural)}">table view</a>` : ''}
          </summary>
          <table>
            <thead>
              <tr>
                <th>field</th>
                <th>label</th>
                <th>type</th>
                <th>kind</th>
                <th>active</th>
                <th>deprecated</th>
                <th>nullable</th>
              </tr>
            </thead>
            <tbody>
              ${object.fields.map(
                (field) =>
                  html`<tr data-field="${field.name}">
                    <td><code>${field.name}</code></td>
                    <td>${field.label}</td>
                    <td>${field.type}${field.relationType ? ` (${field.relationType})` : ''}</td>
                    <td>${field.isCustom ? 'custom' : 'standard'}</td>
                    <td>${yes(field.isActive)}</td>
                    <td>${yes(field.isDeprecated)}</td>
                    <td>${yes(field.isNullable)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </details>`,
    )}
  </section>`;

const ledgerSection = (ledger: LedgerEntry[]) =>
  html`<section class="card" data-testid="ledger">
    <h2>Upgrade ledger</h2>
    ${
      ledger.length === 0
        ? html`<p class="quiet">No upgrade step recorded.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>version</th>
                <th>step</th>
                <th>status</th>
                <th class="num">rows moved</th>
                <th class="num">duration</th>
                <th>started</th>
                <th>finished</th>
                <th>error</th>
              </tr>
            </thead>
            <tbody>
              ${ledger.map(
                (entry) =>
                  html`<tr data-step="${entry.step}">
                    <td>${entry.version}</td>
                    <td>${entry.step}</td>
                    <td>${entry.status}</td>
                    <td class="num" data-testid="rows-moved">${formatNumber(Number(entry.rowsAffected))}</td>
                    <td class="num" data-volatile>${entry.durationMs === null ? '–' : `${formatNumber(entry.durationMs)} ms`}</td>
                    <td>${formatTime(entry.startedAt)}</td>
                    <td>${formatTime(entry.finishedAt)}</td>
                    <td class="message">${entry.error ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;

const healthSection = (issues: HealthIssue[]) =>
  html`<section class="card" data-testid="health">
    <h2>Health</h2>
    ${
      issues.length === 0
        ? html`<p class="good">No drift between metadata and tables.</p>`
        : html`<ul>
            ${issues.map((issue) => html`<li data-kind="${issue.kind}"><strong>${issue.kind}</strong> ${issue.message}</li>`)}
          </ul>`
    }
  </section>`;

const planSection = (preview: PlanPreview) =>
  html`<section class="card" data-testid="plan">
    <h2>Plan preview <span class="badge">${preview.kind === 'upgrade' ? 'upgrade, dry run' : 'sync --check, dry run'}</span></h2>
    <p data-testid="plan-status">
      <strong>${preview.status}</strong>${preview.message ? html` · <span class="message">${preview.message}</span>` : ''}
    </p>
    ${
      preview.steps.length > 0
        ? html`<h3>Steps</h3>
            <table>
              <thead>
                <tr>
                  <th>version</th>
                  <th>step</th>
                  <th>phase</th>
                  <th>status</th>
                  <th>notes</th>
                </tr>
              </thead>
              <tbody>
                ${preview.steps.map(
                  (step) =>
                    html`<tr data-step="${step.step}">
                      <td>${step.version}</td>
                      <td>${step.step}</td>
                      <td>${step.phase}</td>
                      <td>${step.status}</td>
                      <td>${step.notes.join('; ')}${step.error ? html`<div class="bad">${step.error}</div>` : ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : ''
    }
    ${preview.plans.map(
      (entry) =>
        html`<h3>${entry.version ? `Sync to ${entry.version}` : 'Sync'}: ${entry.status}</h3>
          ${
            !entry.plan || (entry.plan.actions.length === 0 && entry.plan.refusals.length === 0)
              ? html`<p class="quiet">Nothing to do.</p>`
              : html`<ol class="actions">
                    ${entry.plan.actions.map(
                      (action) =>
                        html`<li data-kind="${action.kind}">
                          ${action.hazard ? html`<span class="hazard">${action.hazard}</span> ` : ''}${action.summary}
                          ${
                            action.statements.length > 0
                              ? html`<details>
                                  <summary>SQL</summary>
                                  <pre>${action.statements.map((statement) => `${renderStatement(statement)};`).join('\n')}</pre>
                                </details>`
                              : ''
                          }
                        </li>`,
                    )}
                  </ol>
                  ${
                    entry.plan.refusals.length > 0
                      ? html`<ul class="refusals" data-testid="refusals">
                          ${entry.plan.refusals.map((refusal) => html`<li><span class="hazard">REFUSED ${refusal.hazard}</span> ${refusal.message}</li>`)}
                        </ul>`
                      : ''
                  }`
          }`,
    )}
  </section>`;

const outcomesSection = (outcomes: WorkspaceOutcomeSummary[]) =>
  html`<section class="card" data-testid="outcomes">
    <h2>Last runs</h2>
    ${
      outcomes.length === 0
        ? html`<p class="quiet">No run recorded for this workspace.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>command</th>
                <th>status</th>
                <th>message</th>
                <th>when</th>
              </tr>
            </thead>
            <tbody>
              ${outcomes.map(
                (row) =>
                  html`<tr data-command="${row.command}" data-outcome="${row.outcome}">
                    <td>${row.command}</td>
                    <td class="${row.outcome === 'failed' ? 'bad' : ''}">${row.status}</td>
                    <td class="message">${row.message ?? ''}</td>
                    <td>${formatTime(row.finishedAt)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;

export interface WorkspacePageData {
  workspace: WorkspaceRow;
  objects: ActualObject[];
  ledger: LedgerEntry[];
  health: HealthIssue[];
  preview: PlanPreview;
  outcomes: WorkspaceOutcomeSummary[];
}

export const workspacePage = (session: ConsoleSession, data: WorkspacePageData): Html =>
  layout(
    data.workspace.displayName,
    session,
    html`<p class="meta" data-testid="workspace-meta">
        <span class="id">${data.workspace.id}</span> · version
        <strong data-testid="workspace-version">${data.workspace.version ?? 'none'}</strong> · ${data.workspace.activationStatus} · schema
        <code>${data.workspace.schemaName}</code>
      </p>
      ${outcomesSection(data.outcomes)} ${planSection(data.preview)} ${healthSection(data.health)} ${ledgerSection(data.ledger)}
      ${objectsSection(data.workspace.id, data.objects, session.principal.kind === 'workspace')}`,
  );

/** The report of an import: how many rows went in, and each bad line with its number. */
export const importReport = (result: {
  imported: number;
  skipped: number;
  errors: RowProblem[];
  refused: boolean;
  message?: string;
}): Html =>
  html`<div class="${result.refused ? 'error' : 'ok'}" data-testid="import-report" role="status">
    <p>
      ${result.refused ? (result.message ?? 'Nothing imported.') : html`Imported <strong data-testid="imported">${result.imported}</strong> row(s)${result.skipped > 0 ? html`, skipped ${result.skipped} bad row(s)` : ''}.`}
    </p>
    ${
      result.errors.length > 0
        ? html`<ul data-testid="bad-lines">
            ${result.errors.map((problem) => html`<li data-line="${problem.line}">line ${problem.line}: ${problem.message}</li>`)}
          </ul>`
        : ''
    }
  </div>`;

export const importResultReport = (result: ImportResult): Html => importReport({ ...result, refused: false });

/** A column's width in pixels: the view's size, at least wide enough to read. */
const columnWidth = (size: number): number => Math.max(40, Math.round(size));

export const tablePage = (session: ConsoleSession, workspaceId: string, table: TableView, error: string | null): Html => {
  const base = consolePath('workspaces', workspaceId, 'objects', table.object.namePlural);
  const viewId = table.view?.id;
  const { pageInfo, records } = table.page;
  const from = pageInfo.totalCount === 0 ? 0 : pageInfo.offset + 1;
  const to = pageInfo.offset + records.length;
  const link = (offset: number) => withQuery(base, { viewId, offset: offset || undefined });
  const fieldOptions = table.fields
    .filter((field) => !['id', 'deletedAt'].includes(field.field.name))
    .map((field) => html`<option value="${field.field.id}">${field.field.label} (${field.key})</option>`);
  const remove = (kind: 'filters' | 'sorts', id: string, label: string) =>
    html`<form method="post" action="${withQuery(`${base}/${kind}/${encodeURIComponent(id)}/delete`, { viewId })}" class="inline">
      ${csrfField(session)}<button type="submit" class="chip" aria-label="remove ${label}">${label} ✕</button>
    </form>`;
  return layout(
    table.object.labelPlural,
    session,
    html`<p class="meta"><a href="${consolePath('workspaces', workspaceId)}">workspace</a> · <code>${table.object.nameSingular}</code></p>
      ${error ? html`<p class="error" role="alert" data-testid="error">${error}</p>` : ''}
      ${table.viewError ? html`<p class="error" role="alert" data-testid="view-error">${table.viewError} Remove the filter or sort at fault below.</p>` : ''}
      <section class="card">
        <nav class="views" data-testid="views">
          ${table.views.map((view) => (view.id === viewId ? html`<strong>${view.name}</strong>` : html`<a href="${withQuery(base, { viewId: view.id })}">${view.name}</a>`))}
        </nav>
        ${
          table.view
            ? html`<div class="row">
                <div data-testid="filters">
                  <h3>Filters</h3>
                  ${table.filters.length === 0 ? html`<span class="quiet">none</span>` : table.filters.map((filter) => remove('filters', filter.id, `${filter.field?.field.label ?? 'unknown field'} ${filter.operand} ${filter.value}`))}
                  <form method="post" action="${withQuery(`${base}/filters`, { viewId })}" class="inline" data-testid="add-filter">
                    ${csrfField(session)}
                    <select name="fieldMetadataId" aria-label="filter field">
                      ${fieldOptions}
                    </select>
                    <select name="operand" aria-label="operand">
                      ${VIEW_FILTER_OPERANDS.map((operand) => html`<option>${operand}</option>`)}
                    </select>
                    <input name="value" aria-label="filter value" placeholder="value" />
                    <button type="submit">Add filter</button>
                  </form>
                </div>
                <div data-testid="sorts">
                  <h3>Sorts</h3>
                  ${table.sorts.length === 0 ? html`<span class="quiet">none</span>` : table.sorts.map((sort) => remove('sorts', sort.id, `${sort.field?.field.label ?? 'unknown field'} ${sort.direction}`))}
                  <form method="post" action="${withQuery(`${base}/sorts`, { viewId })}" class="inline" data-testid="add-sort">
                    ${csrfField(session)}
                    <select name="fieldMetadataId" aria-label="sort field">
                      ${fieldOptions}
                    </select>
                    <select name="direction" aria-label="direction">
                      <option>asc</option>
                      <option>desc</option>
                    </select>
                    <button type="submit">Add sort</button>
                  </form>
                </div>
              </div>`
            : html`<p class="quiet">This object has no view: its records are listed with every field, without filters or sorts.</p>`
        }
      </section>
      <section class="card">
        <div class="row">
          <a class="button" href="${`${base}/export.csv`}" download="${`${table.object.namePlural}.csv`}" data-testid="export"
            >Export CSV</a
          >
          <form class="inline" data-import="${`${base}/import`}" data-csrf="${session.csrfToken}" data-testid="import">
            <input type="file" name="file" accept=".csv,text/csv" aria-label="CSV file" required />
            <label><input type="checkbox" name="skipInvalid" /> import the good rows, report the bad ones</label>
            <button type="submit">Import CSV</button>
          </form>
        </div>
        <div data-import-report></div>
      </section>
      <section class="card">
        <p class="quiet" data-testid="table-range">
          ${formatNumber(from)}–${formatNumber(to)} of <span data-testid="table-total">${formatNumber(pageInfo.totalCount)}</span>
        </p>
        <div class="scroll">
          <table
            class="records"
            data-testid="records"
            style="${`width: ${table.columns.reduce((sum, column) => sum + columnWidth(column.size), 0)}px`}"
          >
            <colgroup>
              ${table.columns.map((column) => html`<col style="${`width: ${columnWidth(column.size)}px`}" />`)}
            </colgroup>
            <thead>
              <tr>
                ${table.columns.map((column) => html`<th data-field="${column.field.key}">${column.field.field.label}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${records.map(
                (record) =>
                  html`<tr data-record-id="${String(record.id)}">
                    ${table.columns.map((column) => html`<td data-field="${column.field.key}">${cellText(column.field, record[column.field.key])}</td>`)}
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
        <nav class="pager">
          ${pageInfo.offset > 0 ? html`<a href="${link(Math.max(0, pageInfo.offset - pageInfo.limit))}" rel="prev">Previous</a>` : ''}
          ${pageInfo.nextOffset !== null ? html`<a href="${link(pageInfo.nextOffset)}" rel="next">Next</a>` : ''}
        </nav>
      </section>`,
  );
};
