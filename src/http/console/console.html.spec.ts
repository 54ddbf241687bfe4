import { escapeHtml, formatDuration, html, withQuery } from './console.html';

describe('console HTML', () => {
  it('escapes every value put in a template, not the fragments it made', () => {
    const name = `<script>alert("x")</script> & 'co'`;
    const row = html`<td>${name}</td>`;
    // prettier-ignore
    const table = html`<tr>${row}${[html`<td>${1}</td>`, null, false]}</tr>`;
    expect(table.text).toBe('<tr><td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</td><td>1</td></tr>');
    // prettier-ignore
    const link = html`<a href="${'/x?a=1&b="2"'}">`;
    expect(link.text).toBe('<a href="/x?a=1&amp;b=&quot;2&quot;">');
    expect(escapeHtml('plain')).toBe('plain');
  });

  it('leaves empty values out of a query', () => {
    expect(withQuery('/console/fleet', { search: 'a b&c', offset: 0, empty: '', none: undefined })).toBe(
      '/console/fleet?search=a+b%26c&offset=0',
    );
  });

  it('says durations in seconds, minutes and hours', () => {
    expect([formatDuration(null), formatDuration(42.4), formatDuration(125), formatDuration(3 * 3600 + 61)]).toEqual([
      '–',
      '42 s',
      '2 min 5 s',
      '3 h 1 min',
    ]);
  });
});
