/**
 * The one place where report text is escaped for the format it goes into. Every string of the report
 * model may hold data values (a category, a brand, an answer, a persona name built from them), so the
 * renderers escape every one of them, never only the ones known to come from data.
 */

/** Text inside HTML elements and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * Text inside a Markdown paragraph, list item, heading or table cell, rendered as exactly that text by
 * CommonMark and GFM renderers, raw HTML allowed or not: `<`, `>` and `&` become entities (no HTML, no
 * `<autolink>`), Markdown punctuation is backslash-escaped (no link, image, emphasis, code span or table
 * cell break), URL and address forms are broken up (no GFM autolink), and line breaks become spaces (no
 * new block: heading, list, quote).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]|~<>&]/g, (c) =>
      c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`,
    )
    .replace(/:\/\//g, '\\://')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/@/g, '\\@');
}
