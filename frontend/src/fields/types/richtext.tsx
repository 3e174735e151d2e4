import { lazy, Suspense } from 'react';
import DOMPurify from 'dompurify';
import { Skeleton } from 'antd';
import { registerFieldType, type FieldInputProps } from '../registry';

// Tiptap and ProseMirror are loaded with the first rich-text field, not with every form
const RichTextEditor = lazy(() => import('./RichTextEditor'));

function RichTextInput(props: FieldInputProps<string>) {
  return (
    <Suspense fallback={<Skeleton.Input active block style={{ height: 120 }} />}>
      <RichTextEditor {...props} />
    </Suspense>
  );
}

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
  Input: RichTextInput,
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
