/**
 * The console's stylesheet and script, served by the app at /console/assets/: the pages load
 * nothing from elsewhere, so the console works without a network beyond the service.
 */
export const CONSOLE_CSS = `
:root { --ink: #1d2330; --quiet: #667085; --line: #d0d5dd; --card: #fff; --page: #f4f5f7; --accent: #2f54eb; --bad: #b42318; --good: #067647; --warn: #b54708; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--page); }
header { display: flex; justify-content: space-between; align-items: center; padding: 10px 24px; background: var(--ink); color: #fff; }
header a, header button { color: #fff; }
header nav { display: flex; gap: 16px; align-items: center; }
.brand { font-weight: 600; }
.who { opacity: .8; }
main { padding: 16px 24px 48px; max-width: 1400px; }
h1 { font-size: 22px; margin: 8px 0 12px; }
h2 { font-size: 16px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 14px 0 6px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 14px 16px; margin: 0 0 16px; }
.row { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--quiet); font-size: 12px; text-transform: uppercase; letter-spacing: .02em; }
table.counts { width: auto; min-width: 220px; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.id, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.id { color: var(--quiet); }
.quiet { color: var(--quiet); }
.good { color: var(--good); }
.bad, .error { color: var(--bad); }
.warn { color: var(--warn); }
.message { max-width: 520px; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0 7px; border-radius: 9px; background: var(--page); border: 1px solid var(--line); font-size: 12px; font-weight: 500; }
.hazard { display: inline-block; padding: 0 5px; border-radius: 3px; background: #fef0c7; color: var(--warn); font-size: 11px; font-weight: 600; }
form.inline { display: inline-flex; gap: 6px; align-items: center; flex-wrap: wrap; margin: 0; }
input, select, button, .button { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 4px; background: #fff; color: var(--ink); }
button, .button { cursor: pointer; background: var(--accent); border-color: var(--accent); color: #fff; text-decoration: none; display: inline-block; }
header button { background: transparent; border-color: #fff6; }
button.chip { background: var(--page); color: var(--ink); border-color: var(--line); border-radius: 12px; padding: 1px 10px; margin: 0 4px 4px 0; }
.sign-in { max-width: 420px; display: grid; gap: 10px; }
.hint { color: var(--quiet); font-size: 12px; }
.pager { display: flex; gap: 16px; margin-top: 10px; }
.views { display: flex; gap: 14px; margin-bottom: 8px; }
.scroll { overflow-x: auto; }
table.records { table-layout: fixed; }
table.records td { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
progress { width: 120px; vertical-align: middle; }
pre { white-space: pre-wrap; background: var(--page); padding: 8px; border-radius: 4px; font-size: 12px; }
ol.actions li { margin-bottom: 4px; }
details > summary { cursor: pointer; padding: 3px 0; }
`;

export const CONSOLE_JS = `'use strict';
(function () {
  // Live parts of a page: the fragment at data-poll, fetched again every data-poll-ms.
  document.querySelectorAll('[data-poll]').forEach(function (element) {
    var every = Number(element.getAttribute('data-poll-ms')) || 2000;
    var load = function () {
      fetch(element.getAttribute('data-poll'), { headers: { 'X-Console-Fragment': '1' }, credentials: 'same-origin' })
        .then(function (response) {
          if (response.status === 401) { window.location.reload(); return null; }
          return response.ok ? response.text() : null;
        })
        .then(function (text) { if (text !== null) element.innerHTML = text; })
        .catch(function () { /* the server is away: try again at the next tick */ })
        .then(function () { window.setTimeout(load, every); });
    };
    window.setTimeout(load, every);
  });
  // CSV import: the file is sent as it is (text/csv), as the API takes it; the report comes back as HTML.
  document.querySelectorAll('form[data-import]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var file = form.elements.file.files[0];
      var report = form.closest('section').querySelector('[data-import-report]');
      if (!file) return;
      report.textContent = 'Importing ' + file.name + '…';
      var url = form.getAttribute('data-import') + (form.elements.skipInvalid.checked ? '?skipInvalid=true' : '');
      fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': form.getAttribute('data-csrf'), 'X-Console-Fragment': '1' },
        body: file,
      })
        .then(function (response) { return response.text(); })
        .then(function (text) { report.innerHTML = text; })
        .catch(function (error) { report.textContent = 'The import could not be sent: ' + error.message; });
    });
  });
})();
`;
