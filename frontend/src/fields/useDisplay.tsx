import type { ReactNode } from 'react';
import type { FieldDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { useCellKit, type CellLinks, type KitContext } from './display/kit';
import { fieldType } from './registry';

/**
 * Shows any field's value read-only, in the current language; `titles` are a record's `_titles`.
 * `links` (the list's app and navigate) lets relation cells be plain links (display/kit.ts).
 */
export function useDisplay(options: { compact?: boolean; links?: CellLinks } = {}) {
  const { t, text, locale } = useI18n();
  const kit = useCellKit(options.links);
  const base: KitContext = { t, text, locale, compact: options.compact, kit };
  return (field: FieldDef, value: unknown, titles?: Record<string, string>): ReactNode =>
    fieldType(field.type).display(value, field, { ...base, title: titles?.[field.key] });
}
