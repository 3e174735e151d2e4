/** How rich text looks: sanitised HTML, or its words in one-line cells. */
import DOMPurify from 'dompurify';
import { registerFieldType } from '../registry';

/**
 * Stored HTML made safe to show. The server already cleans every write with nh3; this is defence
 * in depth (a value written before a rule changed, an import, another API client). Links open
 * in a new tab without handing it this window.
 */
export function safeHtml(html: string): string {
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'button'] });
}

/** The words of a rich text, for one-line cells. */
export function plainText(html: string): string {
  const doc = new DOMParser().parseFromString(safeHtml(html), 'text/html');
  return (doc.body.textContent ?? '').replace(/\s+/g, ' ').trim();
}

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.getAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

registerFieldType({
  type: 'richtext',
  wide: true,
  sortable: false,
  valueKind: 'text',
  columnWidth: 260,
  display: (value, _field, { compact }) => {
    if (typeof value !== 'string' || value === '') return '';
    if (compact) return plainText(value);
    // safe: sanitised by safeHtml
    return <div className="richtext" dangerouslySetInnerHTML={{ __html: safeHtml(value) }} />;
  },
});
