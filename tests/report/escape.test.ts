import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { buildPersonas } from '../../src/personas/build-personas.js';
import { buildDemoPersonaInput } from '../../src/personas/demo.js';
import type { PersonaDocument } from '../../src/personas/types.js';
import { escapeMarkdown } from '../../src/report/escape.js';
import { renderReport } from '../../src/report/render-report.js';

/** What a category, a brand or an answer may hold: HTML, Markdown links and images, URLs, addresses. */
const PAYLOAD =
  '<img src=x onerror=alert(1)> <script>alert("x")</script> [click](javascript:alert(1)) ![t](http://evil.example/t.png) ' +
  '<http://evil.example> http://evil.example/a www.evil.example mail@evil.example `code` **bold** | pipe\n# heading';

/** Every human-readable text of the document and every data value (levels, warnings) carries the payload. */
function hostile(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return key === 'level' || key === 'warnings' ? `${value} ${PAYLOAD}` : value;
  if (Array.isArray(value)) return value.map((v) => hostile(v, key));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const localized = entries.length === 2 && typeof (value as { en?: unknown }).en === 'string' && typeof (value as { fr?: unknown }).fr === 'string';
    if (localized) return Object.fromEntries(entries.map(([k, v]) => [k, `${String(v)} ${PAYLOAD}`]));
    return Object.fromEntries(entries.map(([k, v]) => [k, hostile(v, k)]));
  }
  return value;
}

/** Tags and links a rendered document holds (markdown-it with raw HTML and autolinks on, as wikis render). */
function rendered(markdown: string): { tags: string[]; links: string[]; images: string[] } {
  const html = new MarkdownIt({ html: true, linkify: true }).render(markdown);
  return {
    tags: [...html.matchAll(/<(script|img|iframe|object|svg|a)\b/gi)].map((m) => (m[1] as string).toLowerCase()),
    links: [...html.matchAll(/<a\s[^>]*href="([^"]*)"/gi)].map((m) => m[1] as string),
    images: [...html.matchAll(/<img\s[^>]*src="([^"]*)"/gi)].map((m) => m[1] as string),
  };
}

describe('escapeMarkdown', () => {
  it('renders any text as that text: no HTML, no link, no image, no new block', () => {
    const html = new MarkdownIt({ html: true, linkify: true }).renderInline(escapeMarkdown(PAYLOAD));
    expect(html).not.toMatch(/<(script|img|a)\b/i);
    // what the reader sees is the text itself
    const text = html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    expect(text).toBe(PAYLOAD.replace('\n', ' '));
  });
});

describe('escapeMarkdown in a table cell and a heading', () => {
  it('a pipe stays in its cell, a backtick opens no code span, a line break starts no block', () => {
    const markdown = ['| name | value |', '| --- | --- |', `| ${escapeMarkdown(PAYLOAD)} | ${escapeMarkdown('a|b`c` \n## h')} |`].join('\n');
    const html = new MarkdownIt({ html: true, linkify: true }).render(markdown);
    const cells = [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1] as string);
    expect(cells).toHaveLength(2);
    expect(cells[1]).toBe('a|b`c`  ## h');
    expect(html).not.toMatch(/<(code|h2|script|img|a)\b/);
  });
});

describe('a report of hostile data', () => {
  const doc = hostile(buildPersonas(buildDemoPersonaInput({ seed: 8, customers: 1500, withPrevious: true }))) as PersonaDocument;

  it('Markdown: data values are text, the only images are the charts and there is no link', async () => {
    for (const lang of ['en', 'fr'] as const) {
      const report = await renderReport(doc, { lang });
      expect(report.markdown).toContain('onerror=alert(1)'); // the payload did reach the report, as text
      const { tags, links, images } = rendered(report.markdown);
      expect(links).toEqual([]);
      expect(images).toEqual(report.charts.map((c) => expect.stringMatching(new RegExp(`^charts[^/]*/${c.name}\\.png$`))));
      expect(tags.filter((t) => t !== 'img')).toEqual([]);
    }
  });

  it('HTML: data values are escaped text', async () => {
    const report = await renderReport(doc, { lang: 'en' });
    const body = report.html.slice(0, report.html.indexOf('<script type="application/json"'));
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // The only links are the report's own, from a figure to its definition further down the page.
    expect(body).not.toMatch(/<(img|iframe)\b|<a\b(?![^>]*\shref="#def-[A-Za-z0-9]+")/i);
    expect(body).toMatch(/<a class="defined" href="#def-expectedBuyers30"/);
    expect(body.match(/<script\b/gi) ?? []).toEqual([]);
  });
});
