/** How text values look: plain text, text areas keeping their lines, and the pattern family as links. */
import { Typography } from 'antd';
import type { MessageKey } from '../../i18n/messages';
import { registerFieldType } from '../registry';

export const plain = (value: unknown) => (value == null ? '' : String(value));

registerFieldType({ type: 'text', display: plain, sortable: true, valueKind: 'text', columnWidth: 180 });
registerFieldType({
  type: 'textarea',
  wide: true,
  sortable: false,
  valueKind: 'text',
  columnWidth: 260,
  display: (value, _field, { compact }) =>
    plain(value) === '' || compact ? plain(value) : <span style={{ whiteSpace: 'pre-wrap' }}>{plain(value)}</span>,
});

/**
 * The pattern-driven family (STYLE.md "families as small abstract middles"): each member is an
 * input mode, a client-side pattern and a link form for display; the server has the final word.
 */
export interface TextPattern {
  type: string;
  inputType: 'tel' | 'email' | 'url' | 'text';
  pattern: RegExp;
  message: MessageKey;
  href?: (value: string) => string;
}

export const TEXT_PATTERNS: readonly TextPattern[] = [
  {
    type: 'phone',
    inputType: 'tel',
    pattern: /^\+?[0-9][0-9 ()-]{4,24}$/,
    message: 'form.invalidPhone',
    href: (v) => `tel:${v.replace(/[^\d+]/g, '')}`,
  },
  { type: 'email', inputType: 'email', pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, message: 'form.invalidEmail', href: (v) => `mailto:${v}` },
  { type: 'url', inputType: 'url', pattern: /^https?:\/\/\S+$/i, message: 'form.invalidUrl', href: (v) => v },
  { type: 'idcard', inputType: 'text', pattern: /^\d{17}[\dXx]$/, message: 'form.invalidIdcard' },
];

for (const spec of TEXT_PATTERNS) {
  registerFieldType({
    type: spec.type,
    sortable: true,
    valueKind: 'text',
    columnWidth: 180,
    display: (value) => {
      const shown = plain(value);
      if (!shown || !spec.href) return shown;
      return (
        <Typography.Link href={spec.href(shown)} target={spec.type === 'url' ? '_blank' : undefined} rel="noreferrer">
          {shown}
        </Typography.Link>
      );
    },
  });
}
